"""Who may run the program: the workspace's Slack admins and owners, plus named members."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.services.workspaces import ensure_workspace
from bot.storage.models import AuditLog, ProgramSettings


def belongs_to(slack_user: dict[str, Any], team_id: str) -> bool:
    """True if Slack says this person is an active human member of the workspace.

    An Enterprise Grid member's ``team_id`` is their home workspace; the others
    they belong to are listed under ``enterprise_user.teams``.
    """
    if not slack_user or slack_user.get("deleted") or slack_user.get("is_bot"):
        return False
    teams = {slack_user.get("team_id"), *(slack_user.get("enterprise_user") or {}).get("teams", [])}
    return team_id in teams


def is_admin(session: Session, team_id: str, user_id: str, slack_user: dict[str, Any]) -> bool:
    """True for Slack admins/owners of this workspace and for members the program names.

    Membership is :func:`belongs_to`'s rule, so an Enterprise Grid admin whose home is
    another workspace of the organisation counts here too; someone Slack doesn't know
    (an empty ``slack_user``) has no rights.
    """
    if not belongs_to(slack_user, team_id):
        return False
    if slack_user.get("is_admin") or slack_user.get("is_owner") or slack_user.get("is_primary_owner"):
        return True
    settings = session.get(ProgramSettings, team_id)
    return settings is not None and user_id in settings.admins


def allowed(
    session: Session, team_id: str, user_id: str, slack_user: dict[str, Any], command: str, now: datetime
) -> bool:
    """:func:`is_admin`, with every refusal written to the audit log (naming the ``command``)."""
    if is_admin(session, team_id, user_id, slack_user):
        return True
    audit(session, team_id, user_id, "refused", now, command=command)
    return False


def program_admins(session: Session, team_id: str) -> list[str]:
    """The people to reach when the admin channel can't be: the named admins, then whoever has
    changed the settings or named an admin (the audit log), most recent first."""
    settings = session.get(ProgramSettings, team_id)
    named = list(settings.admins) if settings else []
    actors = session.exec(
        select(AuditLog.actor_id)
        .where(AuditLog.team_id == team_id, col(AuditLog.action).in_(("settings.update", "admin.add")))
        .order_by(col(AuditLog.id).desc())
    )
    return list(dict.fromkeys([*named, *actors]))


def audit(session: Session, team_id: str, actor_id: str, action: str, now: datetime, **detail: Any) -> None:
    ensure_workspace(session, team_id, now)
    session.add(AuditLog(team_id=team_id, actor_id=actor_id, action=action, detail=detail, created_at=now))
