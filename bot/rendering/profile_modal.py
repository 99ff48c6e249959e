"""The profile modal: build it (pre-filled when editing) and read a submission back.

Strength levels and goal priorities are chosen with one multi-select per level,
which keeps the modal to a dozen blocks however big the catalog is, and lets a
member say "expert in SQL, solid in Spark" without a row per skill.

A catalog of up to 100 skills is offered in full, grouped by category. A larger one
can't be (Slack shows at most 100 options): the selects then search the catalog as
the member types (``block_suggestion``, answered by :func:`skill_options`), and each
starts with the member's saved skills, so saving unchanged never drops one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Protocol

from bot.domain import ProfileForm
from bot.i18n import LANGUAGES, N_, _
from bot.rendering.blocks import clip, context, input_block, modal, option, plain, section, select_input
from bot.rendering.terms import term

CALLBACK_ID = "profile_modal"
#: ``private_metadata`` of a modal opened from the Home tab, which is refreshed after saving.
FROM_HOME = "home"
OTHER_ROLE = "other"
NO_TARGET = "not sure yet"
MAX_OPTIONS = 100  # Slack's limit for a static select, and for the options one search returns
#: The action id of the skill selects; a search in one of them is answered by ``skill_options``.
SKILLS = "skills"

STRENGTH_LEVELS = (
    (5, N_("Can teach it in depth")),
    (4, N_("Strong")),
    (3, N_("Solid working knowledge")),
    (2, N_("Some experience")),
)
GOAL_PRIORITIES = ((3, N_("Most want to learn")), (2, N_("Want to learn")), (1, N_("Curious about")))
#: The language choice that follows the member's Slack locale.
SLACK_LANGUAGE = "slack"
SENIORITIES = ("student", "junior", "mid", "senior", "staff")
CAPACITIES = range(6)


class CatalogSkill(Protocol):
    """A skill the catalog offers (a ``Skill`` row qualifies)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...


class FormErrors(ValueError):
    """Errors keyed by block id, ready for ``response_action: errors``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(str(errors))
        self.errors = errors


def skill_options(skills: Sequence[CatalogSkill]) -> list[dict[str, Any]]:
    """Skills as select options, grouped by category (Slack's option groups)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for skill in skills:
        groups[skill.category].append(option(term(skill.name), skill.id))
    return [{"label": plain(clip(term(category), 75)), "options": opts} for category, opts in groups.items()]


def _multi(block_id: str, label: str, skills: Sequence[CatalogSkill], selected: set[str]) -> dict[str, Any]:
    """A skill multi-select: the whole catalog when it fits in one, else a search."""
    chosen = [option(term(s.name), s.id) for s in skills if s.id in selected]
    element: dict[str, Any] = {"action_id": SKILLS, "placeholder": plain(_("Choose skills"))}
    if len(skills) <= MAX_OPTIONS:
        element.update(type="multi_static_select", option_groups=skill_options(skills))
    else:
        element.update(
            type="multi_external_select", min_query_length=1, placeholder=plain(_("Type to search"))
        )
    if chosen:
        element["initial_options"] = chosen
    return input_block(block_id, label, element, optional=True)


def _text(
    block_id: str, label: str, initial: str, multiline: bool = False, max_length: int = 80
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    return input_block(block_id, label, element, optional=True)


def profile_modal(
    skills: Sequence[CatalogSkill],
    roles: Sequence[str],
    member: ProfileForm | None = None,
    from_home: bool = False,
) -> dict[str, Any]:
    """The modal, pre-filled with the member's profile as it stands when they have one."""
    strengths, goals = (member.strengths, member.goals) if member else ({}, {})
    avoid = member.avoid if member else ()
    role_options = [option(term(r), r) for r in roles] + [option(_("Other"), OTHER_ROLE)]
    checked = []
    flags = [
        option(_("I'd like a mentor"), "wants_mentor"),
        option(_("People may contact me about my strengths"), "open_to_contact"),
    ]
    if member is None or member.wants_mentor:
        checked.append(flags[0])
    if member is None or member.open_to_contact:
        checked.append(flags[1])
    checkboxes: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": flags}
    people: dict[str, Any] = {"type": "multi_users_select", "action_id": "value", "max_selected_items": 20}
    if avoid:
        people["initial_users"] = list(avoid)
    if checked:
        checkboxes["initial_options"] = checked

    blocks = [
        select_input("role", _("Your role"), role_options, member.role if member else None),
        select_input(
            "seniority",
            _("Seniority"),
            [option(term(s), s) for s in SENIORITIES],
            member.seniority if member else None,
        ),
        select_input(
            "target_role",
            _("The role you're aiming for"),
            [option(_("Not sure yet"), NO_TARGET), *role_options],
            (member.target_role or NO_TARGET) if member else None,
            optional=True,
        ),
        _text("team", _("Your team"), member.team if member else ""),
        {"type": "header", "text": plain(_("What you can teach"))},
        *[
            _multi(f"strength_{lv}", _(label), skills, {s for s, v in strengths.items() if v == lv})
            for lv, label in STRENGTH_LEVELS
        ],
        {"type": "header", "text": plain(_("What you want to learn"))},
        *[
            _multi(f"goal_{p}", _(label), skills, {s for s, v in goals.items() if v == p})
            for p, label in GOAL_PRIORITIES
        ],
        _text(
            "other_goals",
            _("Anything else you'd like help with?"),
            member.other_goals if member else "",
            multiline=True,
            max_length=500,
        ),
        select_input(
            "mentor_capacity",
            _("How many mentees can you take?"),
            [option(_("None for now") if n == 0 else str(n), str(n)) for n in CAPACITIES],
            str(member.mentor_capacity) if member else "0",
        ),
        input_block("flags", _("Options"), checkboxes, optional=True),
        input_block("avoid", _("Never pair me with (only you see this)"), people, optional=True),
        select_input(
            "language",
            _("Language"),
            [option(_("The one Slack uses for me"), SLACK_LANGUAGE)]
            + [option(name, code) for code, name in LANGUAGES.items()],
            (member.language or SLACK_LANGUAGE) if member else SLACK_LANGUAGE,
        ),
    ]
    metadata = FROM_HOME if from_home else ""
    return modal(_("Mentoring profile"), blocks, callback_id=CALLBACK_ID, submit=_("Save"), metadata=metadata)


def profile_saved() -> dict[str, Any]:
    """What the modal turns into once the profile is stored: the answer, with no DM to wait for."""
    return modal(
        _("Mentoring profile"),
        [
            section(
                ":white_check_mark: "
                + _("*Your profile is saved.* I'll include you in the next weekly round.")
            ),
            context(_("Change it any time with `/mentor profile` or from my Home tab.")),
        ],
    )


def _value(values: dict[str, Any], block: str) -> Any:
    element = values.get(block)
    state = element.get("value") or element.get(SKILLS) if isinstance(element, dict) else None
    if not isinstance(state, dict):
        return None
    kind = state.get("type")
    if kind == "static_select":
        return (state.get("selected_option") or {}).get("value")
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        key = "selected_options"
        return [o.get("value") for o in state.get(key) or [] if isinstance(o, dict)]
    if kind == "plain_text_input":
        return state.get("value") or ""
    if kind == "multi_users_select":
        return [u for u in state.get("selected_users") or [] if isinstance(u, str)]
    return None


def parse_submission(values: dict[str, Any]) -> ProfileForm:
    """Read the modal's ``view.state.values`` into a form; raise :class:`FormErrors`."""
    errors: dict[str, str] = {}
    strengths: dict[str, int] = {}
    for level, _label in STRENGTH_LEVELS:
        for skill in _value(values, f"strength_{level}") or []:
            if skill in strengths:
                errors[f"strength_{level}"] = _("Each skill can have one level: it's also chosen above.")
            strengths.setdefault(skill, level)
    goals: dict[str, int] = {}
    for priority, _label in GOAL_PRIORITIES:
        for skill in _value(values, f"goal_{priority}") or []:
            if skill in goals:
                errors[f"goal_{priority}"] = _("Each goal can have one priority: it's also chosen above.")
            goals.setdefault(skill, priority)
    role = _value(values, "role")
    seniority = _value(values, "seniority")
    if not role:
        errors["role"] = _("Pick your role.")
    if seniority not in SENIORITIES:
        errors["seniority"] = _("Pick your seniority.")
    capacity = _value(values, "mentor_capacity") or "0"
    if not capacity.isdigit():
        errors["mentor_capacity"] = _("Choose between 0 and 5.")
    target = _value(values, "target_role") or NO_TARGET
    flags = set(_value(values, "flags") or [])
    language = _value(values, "language") or SLACK_LANGUAGE
    if language != SLACK_LANGUAGE and language not in LANGUAGES:
        errors["language"] = _("Pick a language from the list.")
    if errors:
        raise FormErrors(errors)
    return ProfileForm(
        role=role,
        seniority=seniority,
        target_role="" if target == NO_TARGET else target,
        team=_value(values, "team") or "",
        strengths=strengths,
        goals=goals,
        other_goals=_value(values, "other_goals") or "",
        mentor_capacity=int(capacity),
        wants_mentor="wants_mentor" in flags,
        open_to_contact="open_to_contact" in flags,
        avoid=tuple(_value(values, "avoid") or ()),
        language="" if language == SLACK_LANGUAGE else language,
    )


#: Where a service-level error about a field is shown in the modal.
FIELD_BLOCKS = {
    "role": "role",
    "seniority": "seniority",
    "target_role": "target_role",
    "team": "team",
    "strengths": "strength_5",
    "goals": "goal_3",
    "other_goals": "other_goals",
    "mentor_capacity": "mentor_capacity",
    "avoid": "avoid",
    "language": "language",
}
