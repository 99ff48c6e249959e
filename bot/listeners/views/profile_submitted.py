"""The profile modal was submitted: save it and say so in the modal, or show what is wrong there.

The save happens before the acknowledgement, so every outcome (saved, a mistake in
a field, a database that is down) is answered in the modal the member is looking
at, and nothing is left running after the ack to compete with the next request.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import i18n
from bot.i18n import _
from bot.listeners.common import OUTSIDER, answers_failures, deps_of, now_of, publish_home
from bot.rendering.profile_modal import FIELD_BLOCKS, FROM_HOME, FormErrors, parse_submission, profile_saved
from bot.rendering.terms import reason_text
from bot.services import profiles
from bot.storage.db import transaction

log = logging.getLogger(__name__)


@answers_failures
def profile_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
) -> None:
    deps = deps_of(context)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    try:
        form = parse_submission(view.get("state", {}).get("values", {}))
        name, tz, home, locale = _user_info(client, user_id)
        if home and home != team_id:
            ack(response_action="errors", errors={"role": _(OUTSIDER)})
            return
        with transaction(deps.engine) as session:
            profiles.save(
                session,
                team_id,
                user_id,
                form,
                name=name,
                timezone=tz,
                now=now_of(context),
                slack_locale=locale,
            )
    except FormErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except profiles.ProfileInvalid as exc:
        ack(response_action="errors", errors={FIELD_BLOCKS[k]: reason_text(v) for k, v in exc.errors.items()})
        return
    i18n.speak(i18n.member_language(form.language, locale))  # a new choice answers at once
    ack(response_action="update", view=profile_saved())
    if view.get("private_metadata") == FROM_HOME:  # the Home tab is showing: refresh it
        try:
            publish_home(client, deps, team_id, user_id, now_of(context))
        except Exception:
            log.warning("could not refresh %s's Home tab after saving", user_id, exc_info=True)


def _user_info(client: WebClient, user_id: str) -> tuple[str, str, str | None, str]:
    """Display name, IANA time zone, home workspace and locale from Slack's user info."""
    user = client.users_info(user=user_id, include_locale=True)["user"]
    prof = user.get("profile", {})
    name = prof.get("display_name") or prof.get("real_name") or user.get("real_name") or user_id
    return name, user.get("tz") or "UTC", user.get("team_id"), user.get("locale") or ""
