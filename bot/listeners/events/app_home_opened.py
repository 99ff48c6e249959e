"""Render the member's Home tab whenever they open it."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.listeners.common import deps_of, error_text, now_of, publish_home
from bot.views.blocks import section


def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any) -> None:
    if event.get("tab", "home") != "home":
        return
    user_id = event["user"]
    try:
        publish_home(client, deps_of(context), body["team_id"], user_id, now_of(context))
    except Exception as exc:
        client.views_publish(user_id=user_id, view={"type": "home", "blocks": [section(error_text(exc))]})
