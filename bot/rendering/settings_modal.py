"""The program settings modal (admins)."""

from __future__ import annotations

from typing import Any

from bot.domain import SettingsForm
from bot.i18n import N_, _, ngettext
from bot.rendering.blocks import input_block, modal, option, select_input
from matching import Objective

CALLBACK_ID = "program_settings_modal"
# Choices as (label, value); the labels are translated when the modal is built.
DAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
OBJECTIVES = [
    (N_("As many people matched as possible"), Objective.most_matched.value),
    (N_("Best matches only (weak pairs wait a round)"), Objective.best_score.value),
]
HEADS_UPS = [
    (N_("never"), "0"),
    (N_("2 hours before"), "2"),
    (N_("a day before"), "24"),
    (N_("2 days before"), "48"),
]
FORMATS = [
    (N_("Mentoring pairs, made automatically"), "pairs"),
    (N_("Mentees choose from a shortlist of mentors"), "shortlist"),
    (N_("Peer learning circles (3-5 people)"), "circles"),
]
REVIEWS = [
    (N_("at once"), "off"),
    (N_("after an admin reviews it (or in 24 h)"), "publish"),
    (N_("only if an admin publishes it within 24 h"), "drop"),
]
RARITIES = [
    (N_("the same as others"), "0"),
    (N_("a bit more"), "0.5"),
    (N_("more"), "1"),
    (N_("much more"), "2"),
]


def _choice(block_id: str, label: str, choices: list[tuple[str, str]], current: str) -> dict[str, Any]:
    """A select whose option labels are catalog texts (translated here)."""
    return select_input(block_id, label, [option(_(text), value) for text, value in choices], current)


def _counted(block_id: str, label: str, choices: list[tuple[str, str]], current: str) -> dict[str, Any]:
    """A select whose option labels are already written (numbers and their units)."""
    return select_input(block_id, label, [option(text, value) for text, value in choices], current)


def settings_modal(s: SettingsForm) -> dict[str, Any]:
    """The settings modal, filled in with the program's settings as they stand."""
    flags = [option(_("Allow pairs from the same team"), "allow_same_team")]
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
    return modal(
        _("Program settings"),
        [
            _counted(
                "cadence_weeks",
                _("Pair people every"),
                [(_("week") if n == 1 else _weeks(n), str(n)) for n in (1, 2, 3, 4, 6, 8)],
                str(s.cadence_weeks),
            ),
            _choice("weekday", _("On"), [(d, str(k)) for k, d in enumerate(DAYS)], str(s.weekday)),
            _counted("hour", _("At"), [(f"{h:02d}:00", str(h)) for h in range(24)], str(s.hour)),
            input_block(
                "timezone",
                _("Time zone of that hour"),
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": s.timezone,
                    "max_length": 64,
                },
            ),
            _counted(
                "term_weeks",
                _("A pairing lasts"),
                [(_weeks(n), str(n)) for n in (4, 6, 8, 10, 12, 26)],
                str(s.term_weeks),
            ),
            _counted(
                "checkin_days",
                _("Check in after"),
                [(_days(n), str(n)) for n in (2, 3, 4, 5, 7, 10, 14)],
                str(s.checkin_days),
            ),
            _choice(
                "heads_up_hours",
                _("Heads-up to members (with a skip button)"),
                HEADS_UPS,
                str(s.heads_up_hours),
            ),
            _counted("no_show_limit", _("Pause members who ignore"), no_show_choices(), str(s.no_show_limit)),
            _choice("format", _("Format"), FORMATS, s.format),
            _counted(
                "shortlist_size",
                _("Shortlist format: mentors offered"),
                [(str(n), str(n)) for n in (3, 4, 5)],
                str(s.shortlist_size),
            ),
            _counted(
                "request_days",
                _("Shortlist format: mentors answer within"),
                [(_days(n), str(n)) for n in (1, 2, 3, 5, 7)],
                str(s.request_days),
            ),
            _choice(
                "review",
                _("Publish each round"),
                REVIEWS,
                s.review_expiry if s.review_before_publish else "off",
            ),
            _choice("objective", _("Each round aims for"), OBJECTIVES, s.objective),
            _choice("rarity", _("Skills few people can teach count"), RARITIES, f"{s.rarity:g}"),
            input_block("allow_same_team", _("Teams"), same_team, optional=True),
            input_block(
                "admin_channel", _("Admin channel (digests, delivery problems)"), channel, optional=True
            ),
            input_block("admins", _("Program admins besides Slack admins"), people, optional=True),
        ],
        callback_id=CALLBACK_ID,
        submit=_("Save"),
    )


def no_show_choices() -> list[tuple[str, str]]:
    """How many unanswered check-ins in a row pause a member, in the current language."""
    counts = (2, 3, 4, 5)
    texts = [
        ngettext("{count} check-in in a row", "{count} check-ins in a row", n).format(count=n) for n in counts
    ]
    return [(_("never"), "0")] + [(text, str(n)) for n, text in zip(counts, texts, strict=True)]


def _weeks(n: int) -> str:
    return ngettext("{count} week", "{count} weeks", n).format(count=n)


def _days(n: int) -> str:
    return ngettext("{count} day", "{count} days", n).format(count=n)


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
