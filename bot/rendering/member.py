"""What a member sees about themselves: status, the Home tab, search results, their data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.domain import FoundPeople, MemberProfile, Report
from bot.i18n import _
from bot.rendering.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    header,
    message,
    section,
    slack_date,
    slack_day,
)
from bot.rendering.report import report_lines
from bot.rendering.terms import term

EDIT, PAUSE, RESUME, FORGET_CONFIRM = "home_edit_profile", "home_pause", "home_resume", "forget_me_confirm"
PAUSE_WEEKS = 2
DATA_CHUNK = 2800  # characters of JSON per message, inside a code block


def _skills(items: Sequence[tuple[str, int]], scale: int) -> str:
    return ", ".join(f"{escape(term(name))} ({value}/{scale})" for name, value in items) or _("none yet")


def profile_blocks(p: MemberProfile) -> list[Block]:
    if p.paused:
        state = ":double_vertical_bar: " + (
            _("Paused until {day}: you won't be paired.").format(day=slack_day(p.paused_until))
            if p.paused_until
            else _("Paused: you won't be paired.")
        )
    else:
        state = ":large_green_circle: " + _("Active: you'll be included in the next round.")
    name = escape(p.name) if p.name else _("You")
    who = f"*{name}* · {escape(term(p.seniority))} {escape(term(p.role))}"
    if p.team:
        who += " · " + _("team {team}").format(team=escape(p.team))
    learn = _("*Wants to learn:* {skills}").format(skills=_skills(p.goals, 3))
    if p.other_goals:
        learn += " · " + _("also: {goals}").format(goals=escape(p.other_goals))
    lines = [
        who,
        _("*Can teach:* {skills}").format(skills=_skills(p.strengths, 5)),
        learn,
        _("*Aiming for:* {role} · *Mentee slots:* {slots} · *Wants a mentor:* {wants}").format(
            role=escape(term(p.target_role)) if p.target_role else _("not sure yet"),
            slots=p.mentor_capacity,
            wants=_("yes") if p.wants_mentor else _("no"),
        ),
        state,
    ]
    return [section("\n".join(lines))]


def pairing_blocks(p: MemberProfile) -> list[Block]:
    lines = []
    for pair in p.pairings:
        partner, since = f"<@{pair.partner_id}>", slack_day(pair.started_at)
        if pair.role == "mentor":
            line = _("Your mentor: {partner} since {since}").format(partner=partner, since=since)
        else:
            line = _("Your mentee: {partner} since {since}").format(partner=partner, since=since)
        if pair.ends_at:
            line += _(", until {day}").format(day=slack_day(pair.ends_at))
        lines.append(f"• {line}")
    for request in p.waiting:
        other, until = f"<@{request.other_id}>", slack_date(request.answer_by)
        lines.append(
            "• "
            + (
                _("You asked {member} to mentor you; they have until {when} to answer.")
                if request.asked_by_me
                else _("{member} asked you to mentor them: Accept or Decline in my DM by {when}.")
            ).format(member=other, when=until)
        )
    if not lines:
        return [section(_("No current pairings. The next weekly round will look for one."))]
    return [section("\n".join(lines))]


def status_message(p: MemberProfile | None) -> dict[str, Any]:
    if p is None:
        return message(
            [section(_("You don't have a mentoring profile yet. Run `/mentor profile` to create one."))],
            _("No profile yet: run `/mentor profile`."),
        )
    return message([*pairing_blocks(p), divider(), *profile_blocks(p)], _("Your mentoring status"))


def home_view(p: MemberProfile | None, program: Report | None = None) -> dict[str, Any]:
    """The member's Home tab; ``program`` adds the admin section (admins only)."""
    view = _member_home(p)
    if program is not None:
        gaps = program.gaps()
        view["blocks"] += [
            divider(),
            header(_("Program (admins)")),
            section("\n".join(report_lines(program))),
            section(
                _("*Skills to recruit mentors for*")
                + "\n"
                + ("\n".join(f"• {escape(term(g))}" for g in gaps) or _("None: supply covers demand."))
            ),
            context(
                _("`/mentor admin report` for the chart · `/mentor admin settings` · `/mentor admin run`")
            ),
        ]
    return view


def _member_home(p: MemberProfile | None) -> dict[str, Any]:
    if p is None:
        blocks = [
            header(_("Welcome to mentorbot")),
            section(
                _(
                    "Tell me what you're strong at and what you want to learn, and every week I'll pair "
                    "you with a mentor, mentees, or both."
                )
            ),
            actions(button(_("Create my profile"), EDIT, style="primary")),
        ]
    else:
        toggle = (
            button(_("Resume"), RESUME)
            if p.paused
            else button(_("Pause {weeks} weeks").format(weeks=PAUSE_WEEKS), PAUSE)
        )
        blocks = [
            header(_("Your mentoring")),
            *pairing_blocks(p),
            divider(),
            *profile_blocks(p),
            actions(button(_("Edit profile"), EDIT, style="primary"), toggle),
            context(_("`/mentor help` lists every command. `/mentor forget-me` deletes your data.")),
        ]
    return {"type": "home", "blocks": blocks}


def find_message(query: str, found: FoundPeople) -> dict[str, Any]:
    if found.skill is None:
        text = _("No skill called “{skill}” in this workspace's catalog.").format(skill=escape(query))
        return message([section(text)], text)
    skill = escape(term(found.skill))
    if not found.people:
        text = _("Nobody lists *{skill}* as a strength yet.").format(skill=skill)
        return message([section(text)], text)
    lines = [
        f"• <@{e.user_id}> ({e.level}/5)" + (f", {escape(term(e.role))}" if e.role else "")
        for e in found.people
    ]
    if found.total > len(found.people):
        lines.append(
            _("…and {count} more: these are the strongest.").format(count=found.total - len(found.people))
        )
    text = _("People open to a chat about *{skill}*:").format(skill=skill) + "\n" + "\n".join(lines)
    return message([section(text)], _("People who know {skill}").format(skill=skill))


def forget_confirm() -> dict[str, Any]:
    text = _(
        "This deletes your profile, your pairings and their feedback, and any messages waiting to be "
        "sent to you. It can't be undone."
    )
    return message(
        [section(f":warning: {text}"), actions(button(_("Delete my data"), FORGET_CONFIRM, style="danger"))],
        text,
    )


def _cut(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, never through an ``&amp;``-style entity."""
    pieces, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        amp = text.rfind("&", max(start, end - 5), end)
        if end < len(text) and amp != -1 and ";" not in text[amp:end]:
            end = amp
        pieces.append(text[start:end])
        start = end
    return pieces


def my_data_messages(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export as a few DMs of JSON, each within Slack's section-text limit."""
    dump = escape(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True))
    chunks = _cut(dump, DATA_CHUNK)
    first = _("Here is everything mentorbot stores about you:")
    return [
        message([section((first + "\n" if k == 0 else "") + f"```{chunk}```")], first)
        for k, chunk in enumerate(chunks)
    ]


def invitation(by: str) -> dict[str, Any]:
    """An admin's invitation to join the program, with the profile one click away."""
    text = _(
        "{admin} invites you to the mentoring program. Tell me what you're strong at and what "
        "you'd like to learn, and each round I'll pair you with someone who fits: a mentor, a "
        "mentee, or both. It takes two minutes, and `/mentor pause` or `/mentor forget-me` "
        "work at any time."
    ).format(admin=f"<@{by}>")
    return message(
        [section(text), actions(button(_("Create my profile"), EDIT, style="primary"))],
        _("You're invited to the mentoring program"),
    )
