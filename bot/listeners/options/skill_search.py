"""A member typed in a skill select of the profile modal: the catalog skills that match."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from sqlmodel import Session

from bot.listeners.common import deps_of
from bot.rendering.profile_modal import MAX_OPTIONS, skill_options
from bot.services.workspaces import search_skills

log = logging.getLogger("mentorbot")


def skill_search(ack: Ack, body: dict[str, Any], payload: dict[str, Any], context: Any) -> None:
    """Answered in the ack (Slack waits 3 s for it); a failure shows as no matches, and is logged."""
    try:
        with Session(deps_of(context).engine) as session:
            found = search_skills(session, body["team"]["id"], str(payload.get("value") or ""), MAX_OPTIONS)
    except Exception:
        log.exception("skill search failed")
        found = []
    ack(option_groups=skill_options(found))
