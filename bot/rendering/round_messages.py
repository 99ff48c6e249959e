"""Messages a round sends: the introduction, the check-in, the unmatched note, the feedback prompt.

Built when the round is stored and kept in the outbox as they are, so a message
sent after a restart is exactly the one the round decided on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import FirstMeeting, ProposedPair
from bot.rendering.blocks import actions, button, context, divider, escape, escaped, header, message, section
from bot.rendering.meeting import first_meeting_blocks
from matching import Member as MatchMember

CHECKIN_MET, CHECKIN_NOT_YET, CHECKIN_NOT_WORKING = "checkin_met", "checkin_not_yet", "checkin_not_working"
FEEDBACK_OPEN = "feedback_open"
NO_SHOW_BACK = "noshow_back"


def agenda(pair: ProposedPair, goals: list[str], term_weeks: int) -> list[str]:
    """A first meeting, as the brief suggests: goals, a learning plan, the job, a rhythm."""
    top = escaped(goals[:3]) or "what you most want to learn"
    mentee, mentor = escape(pair.mentee_name), escape(pair.mentor_name)
    return [
        f"*Goals* ({mentee}): what does good look like in {term_weeks} weeks? Start from {top}.",
        "*Learning plan*: one thing to read, one thing to build or try, and what to bring next time.",
        f"*A day in the job*: {mentor}, what does your week really look like, beyond the models?",
        "*Rhythm*: pick a regular slot (30-45 minutes every week or two works for most pairs).",
    ]


def intro(
    pair: ProposedPair, goals: list[str], term_weeks: int, meeting: FirstMeeting | None = None
) -> dict[str, Any]:
    why = "\n".join(f"• {escape(r)}" for r in pair.reasons)
    steps = agenda(pair, goals, term_weeks)
    plan = "\n".join(f"{k}. {line}" for k, line in enumerate(steps, start=1))
    mentee, mentor = escape(pair.mentee_name), escape(pair.mentor_name)
    blocks = [
        header("Meet your mentoring match"),
        section(f"<@{pair.mentor_id}> will mentor <@{pair.mentee_id}> for the next {term_weeks} weeks."),
        section(f"*Why you two*\n{why}"),
        section(f"*{mentee} wants to learn:* {escaped(goals) or 'see their profile'}"),
        divider(),
        section(f"*A first meeting*\n{plan}"),
        *(first_meeting_blocks(meeting, pair_title(pair), steps) if meeting else []),
        context("I'll check in in a few days. `/mentor status` shows your pairings at any time."),
    ]
    return message(blocks, f"Meet your mentoring match: {mentor} and {mentee}")


def unmatched(reason: str) -> dict[str, Any]:
    text = (
        f"No mentor for you this round: {escape(reason)}. You'll have priority next round. "
        "The more people list their strengths, the better it gets: inviting a colleague "
        "who knows the skill helps most."
    )
    return message([section(text)], "No mentor for you this round")


def checkin(subject: str, circle: bool = False) -> dict[str, Any]:
    """The check-in a few days in; ``subject`` is a ``feedback.Subject`` (a pairing or a circle)."""
    question = "has your circle met yet?" if circle else "have you two met yet?"
    leave = "I'm leaving this circle" if circle else "This isn't working"
    return message(
        [
            section(f"Quick check-in: {question}"),
            actions(
                button("We met", CHECKIN_MET, subject, "primary"),
                button("Not yet", CHECKIN_NOT_YET, subject),
                button(leave, CHECKIN_NOT_WORKING, subject, "danger"),
                block_id="checkin",
            ),
        ],
        question.capitalize(),
    )


def feedback_prompt(subject: str, partner_id: str | None = None) -> dict[str, Any]:
    """At the end of a term: with the partner of a pairing, or (no partner) a circle."""
    what = f"Your mentoring term with <@{partner_id}>" if partner_id else "Your learning circle's term"
    return message(
        [
            section(f"{what} has ended. How did it go?"),
            actions(button("Give feedback", FEEDBACK_OPEN, subject, "primary")),
        ],
        f"{what} has ended: how did it go?",
    )


#: Heads-up buttons: the action id is ``HEADS_UP_PREFIX`` + a ``participation.Answer`` value.
HEADS_UP_PREFIX = "headsup_"


def heads_up(
    period: str, at: datetime, free_slots: int, wants_mentor: bool, status: str = ""
) -> dict[str, Any]:
    """The DM before a round; ``status`` (after an answer) says what was recorded."""
    roles = []
    if wants_mentor:
        roles.append("matched with a mentor")
    if free_slots:
        roles.append(f"asked to mentor ({free_slots} free {'slot' if free_slots == 1 else 'slots'})")
    when = at.strftime("%A %d %B at %H:%M") + f" ({at.tzname()})"
    blocks = [
        section(
            f"*Heads-up:* the next mentoring round is on {when}. "
            f"You'll be {' and '.join(roles) or 'included'}. Want to sit this one out?"
        ),
        actions(
            button("Count me in", HEADS_UP_PREFIX + "in", period, "primary"),
            button("Skip this round", HEADS_UP_PREFIX + "skip", period),
            button("Pause 2 weeks", HEADS_UP_PREFIX + "pause_2", period),
            button("Pause 4 weeks", HEADS_UP_PREFIX + "pause_4", period),
            block_id="heads_up",
        ),
        actions(button("Stop these heads-ups", HEADS_UP_PREFIX + "stop", period), block_id="heads_up_stop"),
    ]
    if status:
        blocks.insert(1, context(status))
    return message(blocks, f"Heads-up: the next mentoring round is on {when}")


def no_show(unanswered: int) -> dict[str, Any]:
    """The kind note to a member paused for not answering, with the way back."""
    return message(
        [
            section(
                f"You haven't answered the last {unanswered} check-ins, so I've paused your mentoring "
                "for now: no new pairings until you're back, so nobody waits on a quiet match. "
                "Busy spells happen. Whenever you're ready:"
            ),
            actions(button("I'm back", NO_SHOW_BACK, style="primary"), block_id="no_show"),
        ],
        "I've paused your mentoring for now; press I'm back whenever you're ready.",
    )


def pair_title(pair: ProposedPair) -> str:
    """The calendar event's title."""
    return f"Mentoring: {pair.mentor_name} & {pair.mentee_name}"


CIRCLE_TITLE = "Peer learning circle"


def circle_agenda(members: list[MatchMember], rotation: tuple[tuple[str, str], ...]) -> list[str]:
    """The rotation as a calendar event's agenda (names, not Slack mentions)."""
    names = {m.id: m.name for m in members}
    return [
        f"{k}. {escape(names.get(who, who))} on {escape(topic)}" for k, (who, topic) in enumerate(rotation, 1)
    ]


def circle_intro(
    members: list[MatchMember], rotation: tuple[tuple[str, str], ...], meeting: FirstMeeting | None = None
) -> dict[str, Any]:
    """The group DM that opens a peer learning circle."""
    lines = []
    for m in members:
        teach = escaped(sorted(m.strengths, key=lambda s: -m.strengths[s])[:3]) or "—"
        learn = escaped(sorted(m.goals, key=lambda s: -m.goals[s])[:3]) or "—"
        lines.append(f"• <@{m.id}> can teach *{teach}*; wants to learn *{learn}*")
    turns = [f"{k}. <@{who}> on {escape(topic)}" for k, (who, topic) in enumerate(rotation, start=1)]
    return message(
        [
            header("Your peer learning circle"),
            section(
                "You're at a similar stage, your working hours overlap, and what one of you wants "
                "to learn, another can teach.\n" + "\n".join(lines)
            ),
            section(
                "*A suggested rotation*, one each meeting (20 minutes, then questions):\n" + "\n".join(turns)
            ),
            *(
                first_meeting_blocks(meeting, CIRCLE_TITLE, circle_agenda(members, rotation))
                if meeting
                else []
            ),
            context("Meet every week or two. Whoever presents next picks the time."),
        ],
        "Your peer learning circle",
    )


def circle_unplaced() -> dict[str, Any]:
    text = (
        "There was no circle for you this round: nobody at a similar stage with overlapping "
        "working hours could learn from you and teach you in turn. You'll be included next round."
    )
    return message([section(text)], text)
