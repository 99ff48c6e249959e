"""Modal submissions."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.views.feedback_submitted import feedback_submitted
from bot.listeners.views.profile_submitted import profile_submitted
from bot.listeners.views.settings_submitted import settings_submitted
from bot.rendering.feedback_modal import CALLBACK_ID as FEEDBACK
from bot.rendering.profile_modal import CALLBACK_ID as PROFILE
from bot.rendering.settings_modal import CALLBACK_ID as SETTINGS


def register(app: App) -> None:
    app.view(PROFILE)(profile_submitted)
    app.view(FEEDBACK)(feedback_submitted)
    app.view(SETTINGS)(settings_submitted)
