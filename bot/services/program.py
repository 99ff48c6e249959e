"""A workspace's program settings: read, validate, change (admins only, audited)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.domain import SettingsForm
from bot.i18n import N_
from bot.services.workspaces import ensure_workspace
from bot.storage.models import AuditLog, ProgramSettings
from matching import Objective
from matching.profile import ProfileError, check_timezone

#: How a program pairs people: automatic pairs, mentees choosing from a shortlist, peer circles.
FORMATS = ("pairs", "shortlist", "circles")


def current_form(settings: ProgramSettings) -> SettingsForm:
    """The form as it stands now, to change one thing and keep the rest."""
    return SettingsForm(**{name: getattr(settings, name) for name in SettingsForm.__slots__})


class SettingsInvalid(ValueError):
    """Settings that can't be stored: field -> what to fix (a catalog text, translated where shown)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(str(errors))
        self.errors = errors


def load(session: Session, team_id: str, now: datetime) -> ProgramSettings:
    ensure_workspace(session, team_id, now)
    settings = session.get(ProgramSettings, team_id)
    assert settings is not None
    return settings


def validate(form: SettingsForm) -> None:
    errors: dict[str, str] = {}
    if not 1 <= form.cadence_weeks <= 8:
        errors["cadence_weeks"] = N_("Every 1 to 8 weeks.")
    if not 0 <= form.weekday <= 6:
        errors["weekday"] = N_("Pick a day.")
    if not 0 <= form.hour <= 23:
        errors["hour"] = N_("Pick an hour.")
    try:
        check_timezone(form.timezone)
    except ProfileError:
        errors["timezone"] = N_("Use an IANA time zone such as Europe/London or America/New_York.")
    if not 1 <= form.term_weeks <= 52:
        errors["term_weeks"] = N_("Between 1 and 52 weeks.")
    if not 1 <= form.checkin_days <= 28:
        errors["checkin_days"] = N_("Between 1 and 28 days.")
    if form.objective not in {o.value for o in Objective}:
        errors["objective"] = N_("Pick what each round aims for.")
    if not 0 <= form.rarity <= 2:
        errors["rarity"] = N_("Pick how much scarce skills count.")
    if not 0 <= form.heads_up_hours <= 7 * 24:
        errors["heads_up_hours"] = N_("Up to a week before, or never.")
    if not 0 <= form.no_show_limit <= 10:
        errors["no_show_limit"] = N_("Up to 10 check-ins, or never.")
    if form.format not in FORMATS:
        errors["format"] = N_("Pick a format.")
    if not 3 <= form.shortlist_size <= 5:
        errors["shortlist_size"] = N_("Offer 3 to 5 mentors.")
    if not 1 <= form.request_days <= 14:
        errors["request_days"] = N_("Between 1 and 14 days.")
    if form.review_expiry not in ("publish", "drop"):
        errors["review"] = N_("Pick how rounds are published.")
    if errors:
        raise SettingsInvalid(errors)


def update(session: Session, team_id: str, actor_id: str, form: SettingsForm, now: datetime) -> None:
    validate(form)
    ensure_workspace(session, team_id, now)
    settings = session.get(ProgramSettings, team_id, with_for_update=True)
    assert settings is not None
    before = settings.model_dump(exclude={"team_id"})
    for key, value in vars_of(form).items():
        setattr(settings, key, value)
    session.add(settings)
    changed = {k: v for k, v in vars_of(form).items() if before.get(k) != v}
    session.add(
        AuditLog(team_id=team_id, actor_id=actor_id, action="settings.update", detail=changed, created_at=now)
    )


def vars_of(form: SettingsForm) -> dict[str, object]:
    return {name: getattr(form, name) for name in form.__slots__}


def add_admin(session: Session, team_id: str, actor_id: str, user_id: str, now: datetime) -> None:
    ensure_workspace(session, team_id, now)
    settings = session.get(ProgramSettings, team_id, with_for_update=True)
    assert settings is not None
    if user_id not in settings.admins:
        settings.admins = [*settings.admins, user_id]
        session.add(settings)
    session.add(
        AuditLog(
            team_id=team_id,
            actor_id=actor_id,
            action="admin.add",
            detail={"user": user_id},
            created_at=now,
        )
    )
