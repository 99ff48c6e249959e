"""The program settings modal was submitted: admins only, checked again here."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.i18n import _
from bot.listeners.common import NOT_ADMIN, answers_failures, deps_of, now_of, slack_user
from bot.rendering.settings_modal import parse_settings
from bot.services import admins, program
from bot.slack_channels import admin_channel_problem
from bot.storage.db import transaction


@answers_failures
def settings_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
) -> None:
    engine = deps_of(context).engine
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    try:
        form = parse_settings(view.get("state", {}).get("values", {}))
        now = now_of(context)
        user = slack_user(client, user_id)
        with transaction(engine) as session:
            is_admin = admins.allowed(session, team_id, user_id, user, "settings", now)
        if not is_admin:
            ack(response_action="errors", errors={"cadence_weeks": _(NOT_ADMIN)})
            return
        program.validate(form)
        problem = form.admin_channel and admin_channel_problem(client, form.admin_channel)
        if problem:
            ack(response_action="errors", errors={"admin_channel": _(problem)})
            return
        with transaction(engine) as session:
            program.update(session, team_id, user_id, form, now)
    except ValueError as exc:
        errors = (
            {field: _(text) for field, text in exc.errors.items()}
            if isinstance(exc, program.SettingsInvalid)
            else {str(exc): _("Please choose a value.")}
        )
        ack(response_action="errors", errors=errors)
        return
    ack()
