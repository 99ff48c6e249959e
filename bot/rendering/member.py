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
)
from bot.rendering.report import report_lines

EDIT, PAUSE, RESUME, FORGET_CONFIRM = "home_edit_profile", "home_pause", "home_resume", "forget_me_confirm"
PAUSE_WEEKS = 2
DATA_CHUNK = 2800  # characters of JSON per message, inside a code block


def _skills(items: Sequence[tuple[str, int]], scale: int) -> str:
    return ", ".join(f"{escape(name)} ({value}/{scale})" for name, value in items) or "none yet"


def profile_blocks(p: MemberProfile) -> list[Block]:
    if p.paused:
        until = f" until {p.paused_until:%d %b %Y}" if p.paused_until else ""
        state = f":double_vertical_bar: Paused{until}: you won't be paired."
    else:
        state = ":large_green_circle: Active: you'll be included in the next round."
    lines = [
        f"*{escape(p.name or 'You')}* · {p.seniority} {escape(p.role)}"
        + (f" · team {escape(p.team)}" if p.team else ""),
        f"*Can teach:* {_skills(p.strengths, 5)}",
        f"*Wants to learn:* {_skills(p.goals, 3)}"
        + (f" · also: {escape(p.other_goals)}" if p.other_goals else ""),
        f"*Aiming for:* {escape(p.target_role or 'not sure yet')} · *Mentee slots:* {p.mentor_capacity} · "
        f"*Wants a mentor:* {'yes' if p.wants_mentor else 'no'}",
        state,
    ]
    return [section("\n".join(lines))]


def pairing_blocks(p: MemberProfile) -> list[Block]:
    lines = []
    for pair in p.pairings:
        ends = f", until {pair.ends_at:%d %b}" if pair.ends_at else ""
        lines.append(f"• Your {pair.role}: <@{pair.partner_id}> since {pair.started_at:%d %b}{ends}")
    for request in p.waiting:
        until = slack_date(request.answer_by)
        lines.append(
            f"• You asked <@{request.other_id}> to mentor you; they have until {until} to answer."
            if request.asked_by_me
            else f"• <@{request.other_id}> asked you to mentor them: Accept or Decline in my DM by {until}."
        )
    if not lines:
        return [section("No current pairings. The next weekly round will look for one.")]
    return [section("\n".join(lines))]


def status_message(p: MemberProfile | None) -> dict[str, Any]:
    if p is None:
        return message(
            [section("You don't have a mentoring profile yet. Run `/mentor profile` to create one.")],
            "No profile yet: run /mentor profile.",
        )
    return message([*pairing_blocks(p), divider(), *profile_blocks(p)], "Your mentoring status")


def home_view(p: MemberProfile | None, program: Report | None = None) -> dict[str, Any]:
    """The member's Home tab; ``program`` adds the admin section (admins only)."""
    view = _member_home(p)
    if program is not None:
        gaps = program.gaps()
        view["blocks"] += [
            divider(),
            header("Program (admins)"),
            section("\n".join(report_lines(program))),
            section(
                "*Skills to recruit mentors for*\n"
                + ("\n".join(f"• {escape(g)}" for g in gaps) or "None: supply covers demand.")
            ),
            context("`/mentor admin report` for the chart · `/mentor admin settings` · `/mentor admin run`"),
        ]
    return view


def _member_home(p: MemberProfile | None) -> dict[str, Any]:
    if p is None:
        blocks = [
            header("Welcome to mentorbot"),
            section(
                "Tell me what you're strong at and what you want to learn, and every week I'll pair "
                "you with a mentor, mentees, or both."
            ),
            actions(button("Create my profile", EDIT, style="primary")),
        ]
    else:
        toggle = button("Resume", RESUME) if p.paused else button(f"Pause {PAUSE_WEEKS} weeks", PAUSE)
        blocks = [
            header("Your mentoring"),
            *pairing_blocks(p),
            divider(),
            *profile_blocks(p),
            actions(button("Edit profile", EDIT, style="primary"), toggle),
            context("`/mentor help` lists every command. `/mentor forget-me` deletes your data."),
        ]
    return {"type": "home", "blocks": blocks}


def find_message(query: str, found: FoundPeople) -> dict[str, Any]:
    if found.skill is None:
        asked = escape(query)
        return message(
            [section(f"No skill called “{asked}” in this workspace's catalog.")], f"No skill called {asked}."
        )
    skill = escape(found.skill)
    if not found.people:
        text = f"Nobody lists *{skill}* as a strength yet."
        return message([section(text)], text)
    lines = [
        f"• <@{e.user_id}> ({e.level}/5)" + (f", {escape(e.role)}" if e.role else "") for e in found.people
    ]
    if found.total > len(found.people):
        lines.append(f"…and {found.total - len(found.people)} more: these are the strongest.")
    text = f"People open to a chat about *{skill}*:\n" + "\n".join(lines)
    return message([section(text)], f"People who know {skill}")


def forget_confirm() -> dict[str, Any]:
    text = (
        "This deletes your profile, your pairings and their feedback, and any messages waiting to be "
        "sent to you. It can't be undone."
    )
    return message(
        [section(f":warning: {text}"), actions(button("Delete my data", FORGET_CONFIRM, style="danger"))],
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
    first = "Here is everything mentorbot stores about you:"
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
