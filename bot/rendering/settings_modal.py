"""The program settings modal (admins)."""

from __future__ import annotations

from typing import Any

from bot.domain import SettingsForm
from bot.rendering.blocks import input_block, option, plain, select_input
from matching import Objective

CALLBACK_ID = "program_settings_modal"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OBJECTIVES = [
    ("As many people matched as possible", Objective.most_matched.value),
    ("Best matches only (weak pairs wait a round)", Objective.best_score.value),
]
HEADS_UPS = [("never", "0"), ("2 hours before", "2"), ("a day before", "24"), ("2 days before", "48")]
NO_SHOWS = [("never", "0")] + [(f"{n} check-ins in a row", str(n)) for n in (2, 3, 4, 5)]
FORMATS = [
    ("Mentoring pairs, made automatically", "pairs"),
    ("Mentees choose from a shortlist of mentors", "shortlist"),
    ("Peer learning circles (3-5 people)", "circles"),
]
REVIEWS = [
    ("at once", "off"),
    ("after an admin reviews it (or in 24 h)", "publish"),
    ("only if an admin publishes it within 24 h", "drop"),
]
RARITIES = [("the same as others", "0"), ("a bit more", "0.5"), ("more", "1"), ("much more", "2")]


def _choice(block_id: str, label: str, choices: list[tuple[str, str]], current: str) -> dict[str, Any]:
    return select_input(block_id, label, [option(text, value) for text, value in choices], current)


def settings_modal(s: SettingsForm) -> dict[str, Any]:
    """The settings modal, filled in with the program's settings as they stand."""
    flags = [option("Allow pairs from the same team", "allow_same_team")]
    same_team: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": flags}
    if s.allow_same_team:
        same_team["initial_options"] = flags
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "value",
        "filter": {"include": ["public", "private"]},
    }
    if s.admin_channel:
        channel["initial_conversation"] = s.admin_channel
    people: dict[str, Any] = {"type": "multi_users_select", "action_id": "value"}
    if s.admins:
        people["initial_users"] = list(s.admins)
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain("Program settings"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            _choice(
                "cadence_weeks",
                "Pair people every",
                [("week" if n == 1 else f"{n} weeks", str(n)) for n in (1, 2, 3, 4, 6, 8)],
                str(s.cadence_weeks),
            ),
            _choice("weekday", "On", [(d, str(k)) for k, d in enumerate(DAYS)], str(s.weekday)),
            _choice("hour", "At", [(f"{h:02d}:00", str(h)) for h in range(24)], str(s.hour)),
            input_block(
                "timezone",
                "Time zone of that hour",
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": s.timezone,
                    "max_length": 64,
                },
            ),
            _choice(
                "term_weeks",
                "A pairing lasts",
                [(f"{n} weeks", str(n)) for n in (4, 6, 8, 10, 12, 26)],
                str(s.term_weeks),
            ),
            _choice(
                "checkin_days",
                "Check in after",
                [(f"{n} days", str(n)) for n in (2, 3, 4, 5, 7, 10, 14)],
                str(s.checkin_days),
            ),
            _choice(
                "heads_up_hours", "Heads-up to members (with a skip button)", HEADS_UPS, str(s.heads_up_hours)
            ),
            _choice("no_show_limit", "Pause members who ignore", NO_SHOWS, str(s.no_show_limit)),
            _choice("format", "Format", FORMATS, s.format),
            _choice(
                "shortlist_size",
                "Shortlist format: mentors offered",
                [(str(n), str(n)) for n in (3, 4, 5)],
                str(s.shortlist_size),
            ),
            _choice(
                "request_days",
                "Shortlist format: mentors answer within",
                [(f"{n} day{'s' if n > 1 else ''}", str(n)) for n in (1, 2, 3, 5, 7)],
                str(s.request_days),
            ),
            _choice(
                "review",
                "Publish each round",
                REVIEWS,
                s.review_expiry if s.review_before_publish else "off",
            ),
            _choice("objective", "Each round aims for", OBJECTIVES, s.objective),
            _choice("rarity", "Skills few people can teach count", RARITIES, f"{s.rarity:g}"),
            input_block("allow_same_team", "Teams", same_team, optional=True),
            input_block(
                "admin_channel", "Admin channel (digests, delivery problems)", channel, optional=True
            ),
            input_block("admins", "Program admins besides Slack admins", people, optional=True),
        ],
    }


def _state(values: dict[str, Any], block: str) -> dict[str, Any]:
    state = (values.get(block) or {}).get("value")
    return state if isinstance(state, dict) else {}


def parse_settings(values: dict[str, Any]) -> SettingsForm:
    """Read a submission; raises ValueError naming the first block that is unreadable."""

    def number(block: str) -> int:
        raw = str((_state(values, block).get("selected_option") or {}).get("value", ""))
        if not raw.isdigit():
            raise ValueError(block)
        return int(raw)

    def choice(block: str) -> str:
        raw = (_state(values, block).get("selected_option") or {}).get("value")
        if not isinstance(raw, str):
            raise ValueError(block)
        return raw

    try:
        rarity = float(choice("rarity"))
    except ValueError:
        raise ValueError("rarity") from None
    same = [o.get("value") for o in _state(values, "allow_same_team").get("selected_options") or []]
    admins = _state(values, "admins").get("selected_users") or []
    return SettingsForm(
        cadence_weeks=number("cadence_weeks"),
        weekday=number("weekday"),
        hour=number("hour"),
        timezone=str(_state(values, "timezone").get("value") or "").strip(),
        term_weeks=number("term_weeks"),
        checkin_days=number("checkin_days"),
        allow_same_team="allow_same_team" in same,
        admin_channel=_state(values, "admin_channel").get("selected_conversation") or None,
        admins=[str(u) for u in admins if isinstance(u, str)],
        objective=choice("objective"),
        heads_up_hours=number("heads_up_hours"),
        no_show_limit=number("no_show_limit"),
        format=choice("format"),
        shortlist_size=number("shortlist_size"),
        request_days=number("request_days"),
        review_before_publish=choice("review") != "off",
        review_expiry="publish" if choice("review") == "off" else choice("review"),
        rarity=rarity,
    )
