"""A first meeting one click away: slots in every reader's own time zone, calendar links, and
"This works" / "None of these work" buttons.

Each slot is written with Slack's date token, so each reader sees it in their own zone.
The calendar links are Google Calendar's and Outlook's public event templates, prefilled
with the title, the time and the agenda from the introduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from bot.domain import FIRST_MEETING, FirstMeeting
from bot.i18n import N_, _
from bot.rendering.blocks import Block, actions, button, context, escape, message, section, slack_date

#: A slot's button is ``MEETING_PICKED`` + its number: Slack wants action ids unique in a block.
MEETING_PICKED = "meeting_pick_"
MEETING_NONE = "meeting_none"
NOT_YOURS = N_("That meeting isn't for a pairing or circle of yours.")
GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"
#: Calendar event details are cut here: each slot's line (two links) stays within a section.
DETAILS_LIMIT = 600


def first_meeting_blocks(meeting: FirstMeeting, title: str, agenda: list[str]) -> list[Block]:
    """The slots with their calendar links and buttons, or why there are none."""
    if not meeting.slots:
        return [
            section(
                _(
                    "*A first meeting*: I couldn't find a time that suits you all: {why}. "
                    "Agree on one in this conversation."
                ).format(why=escape(_(meeting.why_none)))
            )
        ]
    # Quoted once for all the slots' links: a round renders thousands of these.
    event = _Event(quote_plus(title), quote_plus("\n".join(_plain(line) for line in agenda)[:DETAILS_LIMIT]))
    google, outlook = _("Add to Google Calendar"), _("Add to Outlook")
    lines = [
        f"{k}. {slack_date(at)} · <{event.google(at)}|{google}> · <{event.outlook(at)}|{outlook}>"
        for k, at in enumerate(meeting.slots, start=1)
    ]
    buttons = [
        button(
            _("{number} works for me").format(number=k),
            f"{MEETING_PICKED}{k}",
            f"{meeting.subject}:{int(at.timestamp())}",
        )
        for k, at in enumerate(meeting.slots, start=1)
    ]
    return [
        section(
            _(
                "*A first meeting, one click away*: these half hours fall inside everyone's working day, "
                "shown in your own time zone."
            )
        ),
        *(section(line) for line in lines),  # a section each: the links are long
        actions(*buttons, button(_("None of these work"), MEETING_NONE, meeting.subject)),
    ]


def more_slots(by: str, meeting: FirstMeeting, title: str, agenda: list[str]) -> dict[str, Any]:
    """Posted to the pair or circle when someone says none of the slots work."""
    blocks = [
        context(_("{member} said none of those times work, so here are more.").format(member=f"<@{by}>")),
        *first_meeting_blocks(meeting, title, agenda),
    ]
    return message(blocks, _("More times for your first meeting"))


def meeting_picked(by: str, at: datetime) -> dict[str, Any]:
    text = _("{member} picked {when} for your first meeting. I'll check in after it.").format(
        member=f"<@{by}>", when=slack_date(at)
    )
    return message([section(text)], text)


@dataclass(frozen=True, slots=True)
class _Event:
    """A calendar event's title and details, URL-quoted, for the two event-template links."""

    title: str
    details: str

    def google(self, at: datetime) -> str:
        dates = quote_plus(f"{_stamp(at)}/{_stamp(at + FIRST_MEETING)}")
        return f"{GOOGLE}?action=TEMPLATE&text={self.title}&dates={dates}&details={self.details}"

    def outlook(self, at: datetime) -> str:
        start, end = (quote_plus(_iso(t)) for t in (at, at + FIRST_MEETING))
        return (
            f"{OUTLOOK}?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={self.title}"
            f"&startdt={start}&enddt={end}&body={self.details}"
        )


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain(line: str) -> str:
    """An agenda line without Slack's markup, for a calendar event."""
    return line.replace("*", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
