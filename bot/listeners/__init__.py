"""Bolt listeners, one package per Slack surface, each with ``register(app)``.

Listeners stay thin: read the payload, call a service, render a view, and answer
the member when something goes wrong rather than only logging it.
"""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, options, views


def register(app: App) -> None:
    commands.register(app)
    views.register(app)
    actions.register(app)
    events.register(app)
    options.register(app)
