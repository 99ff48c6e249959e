"""Options for external selects (``block_suggestion``): the profile's skill search."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.options.skill_search import skill_search
from bot.rendering.profile_modal import SKILLS


def register(app: App) -> None:
    app.options(SKILLS)(skill_search)
