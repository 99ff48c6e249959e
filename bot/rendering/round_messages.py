"""Messages a round sends: the introduction, the check-in, the unmatched note, the feedback prompt.

Built when the round is stored and kept in the outbox as they are, so a message
sent after a restart is exactly the one the round decided on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import FirstMeeting, ProposedPair
from bot.i18n import _, ngettext
from bot.rendering.blocks import (
    actions,
    button,
    context,
    divider,
    escape,
    escaped,
    header,
    message,
    section,
    slack_date,
)
from bot.rendering.meeting import first_meeting_blocks
from bot.rendering.terms import reason_text, term, terms
from matching import Member as MatchMember
from matching import Reason

CHECKIN_MET, CHECKIN_NOT_YET, CHECKIN_NOT_WORKING = "checkin_met", "checkin_not_yet", "checkin_not_working"
FEEDBACK_OPEN = "feedback_open"
NO_SHOW_BACK = "noshow_back"


def agenda(pair: ProposedPair, goals: list[str], term_weeks: int) -> list[str]:
    """A first meeting, as the brief suggests: goals, a learning plan, the job, a rhythm."""
    top = escaped(terms(goals[:3])) or _("what you most want to learn")
    mentee, mentor = escape(pair.mentee_name), escape(pair.mentor_name)
    return [
        _("*Goals* ({mentee}): what does good look like in {weeks} weeks? Start from {top}.").format(
            mentee=mentee, weeks=term_weeks, top=top
        ),
        _("*Learning plan*: one thing to read, one thing to build or try, and what to bring next time."),
        _("*A day in the job*: {mentor}, what does your week really look like, beyond the models?").format(
            mentor=mentor
        ),
        _("*Rhythm*: pick a regular slot (30-45 minutes every week or two works for most pairs)."),
    ]


def intro(
    pair: ProposedPair, goals: list[str], term_weeks: int, meeting: FirstMeeting | None = None
) -> dict[str, Any]:
    why = "\n".join(f"• {escape(reason_text(r))}" for r in pair.reasons)
    steps = agenda(pair, goals, term_weeks)
    plan = "\n".join(f"{k}. {line}" for k, line in enumerate(steps, start=1))
    mentee, mentor = escape(pair.mentee_name), escape(pair.mentor_name)
    blocks = [
        header(_("Meet your mentoring match")),
        section(
            _("{mentor} will mentor {mentee} for the next {weeks} weeks.").format(
                mentor=f"<@{pair.mentor_id}>", mentee=f"<@{pair.mentee_id}>", weeks=term_weeks
            )
        ),
        section(_("*Why you two*") + f"\n{why}"),
        section(
            _("*{mentee} wants to learn:* {goals}").format(
                mentee=mentee, goals=escaped(terms(goals)) or _("see their profile")
            )
        ),
        divider(),
        section(_("*A first meeting*") + f"\n{plan}"),
        *(first_meeting_blocks(meeting, pair_title(pair), steps) if meeting else []),
        context(_("I'll check in in a few days. `/mentor status` shows your pairings at any time.")),
    ]
    return message(
        blocks, _("Meet your mentoring match: {mentor} and {mentee}").format(mentor=mentor, mentee=mentee)
    )


def unmatched(reason: Reason) -> dict[str, Any]:
    text = _(
        "No mentor for you this round: {reason}. You'll have priority next round. "
        "The more people list their strengths, the better it gets: inviting a colleague "
        "who knows the skill helps most."
    ).format(reason=escape(reason_text(reason)))
    return message([section(text)], _("No mentor for you this round"))


def checkin(subject: str, circle: bool = False) -> dict[str, Any]:
    """The check-in a few days in; ``subject`` is a ``feedback.Subject`` (a pairing or a circle)."""
    question = _("Has your circle met yet?") if circle else _("Have you two met yet?")
    leave = _("I'm leaving this circle") if circle else _("This isn't working")
    return message(
        [
            section(_("Quick check-in: {question}").format(question=question)),
            actions(
                button(_("We met"), CHECKIN_MET, subject, "primary"),
                button(_("Not yet"), CHECKIN_NOT_YET, subject),
                button(leave, CHECKIN_NOT_WORKING, subject, "danger"),
                block_id="checkin",
            ),
        ],
        question,
    )


def feedback_prompt(subject: str, partner_id: str | None = None) -> dict[str, Any]:
    """At the end of a term: with the partner of a pairing, or (no partner) a circle."""
    ended = (
        _("Your mentoring term with {partner} has ended. How did it go?").format(partner=f"<@{partner_id}>")
        if partner_id
        else _("Your learning circle's term has ended. How did it go?")
    )
    return message(
        [section(ended), actions(button(_("Give feedback"), FEEDBACK_OPEN, subject, "primary"))], ended
    )


#: Heads-up buttons: the action id is ``HEADS_UP_PREFIX`` + a ``participation.Answer`` value.
HEADS_UP_PREFIX = "headsup_"


def heads_up(
    period: str, at: datetime, free_slots: int, wants_mentor: bool, status: str = ""
) -> dict[str, Any]:
    """The DM before a round; ``status`` (after an answer) says what was recorded."""
    mentoring = ngettext(
        "asked to mentor ({count} free slot)", "asked to mentor ({count} free slots)", free_slots
    ).format(count=free_slots)
    if wants_mentor and free_slots:
        role = _("matched with a mentor and {mentoring}").format(mentoring=mentoring)
    elif wants_mentor:
        role = _("matched with a mentor")
    else:
        role = mentoring if free_slots else _("included")
    when = slack_date(at)
    blocks = [
        section(
            _(
                "*Heads-up:* the next mentoring round is on {when}. "
                "You'll be {role}. Want to sit this one out?"
            ).format(when=when, role=role)
        ),
        actions(
            button(_("Count me in"), HEADS_UP_PREFIX + "in", period, "primary"),
            button(_("Skip this round"), HEADS_UP_PREFIX + "skip", period),
            button(_("Pause 2 weeks"), HEADS_UP_PREFIX + "pause_2", period),
            button(_("Pause 4 weeks"), HEADS_UP_PREFIX + "pause_4", period),
            block_id="heads_up",
        ),
        actions(
            button(_("Stop these heads-ups"), HEADS_UP_PREFIX + "stop", period), block_id="heads_up_stop"
        ),
    ]
    if status:
        blocks.insert(1, context(status))
    return message(blocks, _("Heads-up: the next mentoring round is on {when}").format(when=when))


def no_show(unanswered: int) -> dict[str, Any]:
    """The kind note to a member paused for not answering, with the way back."""
    return message(
        [
            section(
                _(
                    "You haven't answered the last {count} check-ins, so I've paused your mentoring "
                    "for now: no new pairings until you're back, so nobody waits on a quiet match. "
                    "Busy spells happen. Whenever you're ready:"
                ).format(count=unanswered)
            ),
            actions(button(_("I'm back"), NO_SHOW_BACK, style="primary"), block_id="no_show"),
        ],
        _("I've paused your mentoring for now; press I'm back whenever you're ready."),
    )


def pair_title(pair: ProposedPair) -> str:
    """The calendar event's title."""
    return _("Mentoring: {mentor} & {mentee}").format(mentor=pair.mentor_name, mentee=pair.mentee_name)


def circle_title() -> str:
    """The calendar event's title for a circle."""
    return _("Peer learning circle")


def circle_agenda(members: list[MatchMember], rotation: tuple[tuple[str, str], ...]) -> list[str]:
    """The rotation as a calendar event's agenda (names, not Slack mentions)."""
    names = {m.id: m.name for m in members}
    return [
        f"{k}. " + _("{who} on {topic}").format(who=escape(names.get(who, who)), topic=escape(term(topic)))
        for k, (who, topic) in enumerate(rotation, 1)
    ]


def circle_intro(
    members: list[MatchMember], rotation: tuple[tuple[str, str], ...], meeting: FirstMeeting | None = None
) -> dict[str, Any]:
    """The group DM that opens a peer learning circle."""
    lines = []
    for m in members:
        teach = escaped(terms(sorted(m.strengths, key=lambda s: -m.strengths[s])[:3])) or "—"
        learn = escaped(terms(sorted(m.goals, key=lambda s: -m.goals[s])[:3])) or "—"
        lines.append(
            "• "
            + _("{member} can teach *{teach}*; wants to learn *{learn}*").format(
                member=f"<@{m.id}>", teach=teach, learn=learn
            )
        )
    turns = [
        f"{k}. " + _("{who} on {topic}").format(who=f"<@{who}>", topic=escape(term(topic)))
        for k, (who, topic) in enumerate(rotation, start=1)
    ]
    return message(
        [
            header(_("Your peer learning circle")),
            section(
                _(
                    "You're at a similar stage, your working hours overlap, and what one of you wants "
                    "to learn, another can teach."
                )
                + "\n"
                + "\n".join(lines)
            ),
            section(
                _("*A suggested rotation*, one each meeting (20 minutes, then questions):")
                + "\n"
                + "\n".join(turns)
            ),
            *(
                first_meeting_blocks(meeting, circle_title(), circle_agenda(members, rotation))
                if meeting
                else []
            ),
            context(_("Meet every week or two. Whoever presents next picks the time.")),
        ],
        _("Your peer learning circle"),
    )


def circle_unplaced() -> dict[str, Any]:
    text = _(
        "There was no circle for you this round: nobody at a similar stage with overlapping "
        "working hours could learn from you and teach you in turn. You'll be included next round."
    )
    return message([section(text)], text)
