"""Upload a file to a channel with Slack's current flow.

``files_upload_v2`` calls ``files.getUploadURLExternal``, posts the bytes to the
URL it returns, then ``files.completeUploadExternal`` to share the file.
"""

from __future__ import annotations

from slack_sdk import WebClient


def upload(client: WebClient, channel: str, data: bytes, filename: str, title: str, comment: str = "") -> str:
    """Share ``data`` in ``channel``; return Slack's file id."""
    reply = client.files_upload_v2(
        channel=channel, content=data, filename=filename, title=title, initial_comment=comment or None
    )
    return reply["file"]["id"]


def dm_channel(client: WebClient, user_id: str) -> str:
    return client.conversations_open(users=user_id)["channel"]["id"]
