"""Can the bot post in a channel? Asked when an admin picks the admin channel.

A public channel the bot isn't in yet, it joins (``conversations.join``; joining one it is in
already is fine). A private one it can only be invited to: it looks (``conversations.info``)
and, if it isn't there, the admin is asked to invite it. The answer is a sentence for the
settings modal, or None when all is well.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import N_

ARCHIVED = N_("That channel is archived: pick another one.")


#: Modal errors are plain text: no channel link here.
INVITE_FIRST = N_("Invite @mentorbot to that channel first (/invite @mentorbot in it), then save again.")


def admin_channel_problem(client: WebClient, channel: str) -> str | None:
    """Why the bot couldn't post in ``channel`` (None: it can, having joined if it had to), as a
    catalog text to translate where it is shown."""
    try:
        client.conversations_join(channel=channel)
        return None
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "is_archived":
            return ARCHIVED
        if error == "channel_not_found":
            return INVITE_FIRST
        if error != "method_not_supported_for_channel_type":
            raise
    try:  # a private channel: the bot sees it only if it was invited
        found = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as exc:
        if exc.response.get("error") == "channel_not_found":
            return INVITE_FIRST
        raise
    if found.get("is_archived"):
        return ARCHIVED
    return None if found.get("is_member") else INVITE_FIRST
