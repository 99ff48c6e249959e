"""Render the member's Home tab whenever they open it."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.listeners.common import answers_failures, deps_of, now_of, publish_home


@answers_failures
def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any) -> None:
    if event.get("tab", "home") != "home":
        return
    user_id = event["user"]
    publish_home(client, deps_of(context), body["team_id"], user_id, now_of(context))
