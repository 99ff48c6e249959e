"""A first meeting one click away: slots in every reader's own time zone, calendar links, and
"This works" / "None of these work" buttons.

Each slot is written with Slack's date token, so each reader sees it in their own zone.
The calendar links are Google Calendar's and Outlook's public event templates, prefilled
with the title, the time and the agenda from the introduction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from bot.domain import FIRST_MEETING, FirstMeeting
from bot.rendering.blocks import Block, actions, button, context, escape, message, section, slack_date

MEETING_PICKED = "meeting_pick"
MEETING_NONE = "meeting_none"
NOT_YOURS = "That meeting isn't for a pairing or circle of yours."
GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"
#: Calendar event details are cut here: each slot's line (two links) stays within a section.
DETAILS_LIMIT = 600


def first_meeting_blocks(meeting: FirstMeeting, title: str, agenda: list[str]) -> list[Block]:
    """The slots with their calendar links and buttons, or why there are none."""
    if not meeting.slots:
        return [
            section(
                f"*A first meeting*: I couldn't find a time that suits you all: {escape(meeting.why_none)}. "
                "Agree on one in this conversation."
            )
        ]
    details = "\n".join(_plain(line) for line in agenda)[:DETAILS_LIMIT]
    lines = [
        f"{k}. {slack_date(at)} · <{google_link(title, at, details)}|Add to Google Calendar>"
        f" · <{outlook_link(title, at, details)}|Add to Outlook>"
        for k, at in enumerate(meeting.slots, start=1)
    ]
    buttons = [
        button(f"{k} works for me", MEETING_PICKED, f"{meeting.subject}:{int(at.timestamp())}")
        for k, at in enumerate(meeting.slots, start=1)
    ]
    return [
        section(
            "*A first meeting, one click away*: these half hours fall inside everyone's working day, "
            "shown in your own time zone."
        ),
        *(section(line) for line in lines),  # a section each: the links are long
        actions(*buttons, button("None of these work", MEETING_NONE, meeting.subject)),
    ]


def more_slots(by: str, meeting: FirstMeeting, title: str, agenda: list[str]) -> dict[str, Any]:
    """Posted to the pair or circle when someone says none of the slots work."""
    blocks = [
        context(f"<@{by}> said none of those times work, so here are more."),
        *first_meeting_blocks(meeting, title, agenda),
    ]
    return message(blocks, "More times for your first meeting")


def meeting_picked(by: str, at: datetime) -> dict[str, Any]:
    text = f"<@{by}> picked {slack_date(at)} for your first meeting. I'll check in after it."
    return message([section(text)], text)


def google_link(title: str, at: datetime, details: str) -> str:
    end = at + FIRST_MEETING
    return (
        GOOGLE
        + "?"
        + urlencode(
            {"action": "TEMPLATE", "text": title, "dates": f"{_stamp(at)}/{_stamp(end)}", "details": details}
        )
    )


def outlook_link(title: str, at: datetime, details: str) -> str:
    end = at + FIRST_MEETING
    return (
        OUTLOOK
        + "?"
        + urlencode(
            {
                "path": "/calendar/action/compose",
                "rru": "addevent",
                "subject": title,
                "startdt": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "enddt": end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "body": details,
            }
        )
    )


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _plain(line: str) -> str:
    """An agenda line without Slack's markup, for a calendar event."""
    return line.replace("*", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
