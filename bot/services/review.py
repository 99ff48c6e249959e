"""Admins review a held round: remove or swap pairs (the engine re-solves the rest), then publish.

A round held for review (``ProgramSettings.review_before_publish``) is stored as
"pending" with "proposed" pairings and nothing queued for members. Every edit
re-runs the engine on the workspace with the admins' choices so far: pairs they
removed are excluded, pairs they made by swapping are required (and must pass
every hard constraint, else the edit is refused with the reason). Publishing
turns the proposal into active pairings and queues the intros. A round nobody
publishes in time is published or dropped, as the setting says. Edits take the
settings-row lock, so two admins' edits apply one after the other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from bot.domain import Notice, OutboxStatus, PairingStatus, Proposal, Refusal, RoundStatus
from bot.services import pairings
from bot.services.rounds import match_round
from bot.storage.models import (
    AuditLog,
    Outbox,
    Pairing,
    ProgramSettings,
    Round,
    as_utc,
    loaded_left_out,
    stored_left_out,
)
from matching.reasons import reason

BOT = "mentorbot"


class NotPending(LookupError):
    """No round of this workspace is waiting for review (published, dropped, or never held)."""


def pending_round(session: Session, team_id: str) -> int:
    """The workspace's round waiting for review (the latest, if several)."""
    found = session.exec(
        select(Round.id)
        .where(Round.team_id == team_id, Round.status == RoundStatus.pending)
        .order_by(col(Round.created_at).desc())
    ).first()
    if found is None:
        raise NotPending(team_id)
    return found


def remove(
    session: Session, team_id: str, round_id: int, pairing_id: int, actor: str, now: datetime
) -> Proposal:
    """Rule a proposed pair out and re-solve the rest."""
    settings, rnd = _held(session, team_id, round_id)
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or pairing.round_id != round_id or pairing.status != PairingStatus.proposed:
        raise NotPending(pairing_id)
    pair = [pairing.mentor_id, pairing.mentee_id]
    excluded = [*_choices(rnd, "excluded"), pair]
    required = [p for p in _choices(rnd, "required") if p != pair]
    return _resolve(session, settings, rnd, excluded, required, actor, now, "review.remove", pair=pair)


def remove_number(session: Session, team_id: str, number: int, actor: str, now: datetime) -> Proposal:
    """``/mentor admin remove N``: the pending round's pair numbered N."""
    round_id = pending_round(session, team_id)
    rows = pairings.review_rows(session, team_id, round_id)
    if not 1 <= number <= len(rows):
        raise Refusal(
            reason("There is no pair {number}; the proposal has {count}.", number=number, count=len(rows))
        )
    return remove(session, team_id, round_id, rows[number - 1].pairing_id, actor, now)


def swap(session: Session, team_id: str, a: int, b: int, actor: str, now: datetime) -> Proposal:
    """Exchange the mentees of proposed pairs ``a`` and ``b`` (numbers as shown), re-solving the rest.

    Raises ``matching.InfeasiblePair`` (nothing changes) if a new pair breaks a hard constraint.
    """
    round_id = pending_round(session, team_id)
    settings, rnd = _held(session, team_id, round_id)
    rows = pairings.review_rows(session, team_id, round_id)
    if a == b or not (1 <= a <= len(rows) and 1 <= b <= len(rows)):
        raise Refusal(reason("Pick two different pairs between 1 and {count}.", count=len(rows)))
    x, y = rows[a - 1].pair, rows[b - 1].pair
    made = [[x.mentor_id, y.mentee_id], [y.mentor_id, x.mentee_id]]
    moved = {x.mentee_id, y.mentee_id}
    required = [p for p in _choices(rnd, "required") if p[1] not in moved] + made
    excluded = [p for p in _choices(rnd, "excluded") if p not in made]
    return _resolve(session, settings, rnd, excluded, required, actor, now, "review.swap", pairs=made)


def publish(
    session: Session, notices: list[Notice], team_id: str, round_id: int, actor: str, now: datetime
) -> int:
    """Make the proposal the round: active pairings, intros and notes to send. How many pairs."""
    settings, rnd = _held(session, team_id, round_id)
    rows = pairings.review_rows(session, team_id, round_id)
    proposed = {p.id: p for p in session.exec(select(Pairing).where(Pairing.round_id == round_id))}
    for row in rows:
        proposed[row.pairing_id].status = PairingStatus.active
        session.add(proposed[row.pairing_id])
    unmatched = loaded_left_out((rnd.stats or {}).get("unmatched", {}))
    pairs = [(r.pairing_id, r.pair) for r in rows]
    pairings.announce(session, notices, team_id, settings, round_id, now, pairs, unmatched)
    _close(session, rnd, RoundStatus.done, actor, now, "review.publish", pairs=len(rows))
    return len(rows)


def drop(session: Session, team_id: str, round_id: int, actor: str, now: datetime) -> None:
    """Discard the proposal: no pairs this period; members hear nothing."""
    _, rnd = _held(session, team_id, round_id)
    session.exec(
        delete(Pairing).where(
            col(Pairing.round_id) == round_id, col(Pairing.status) == PairingStatus.proposed
        )
    )
    _close(session, rnd, RoundStatus.dropped, actor, now, "review.drop")


def overdue(session: Session, now: datetime) -> list[tuple[str, int, str]]:
    """Held rounds past their review time: (workspace, round, ``publish`` or ``drop``), what each
    program's settings say happens then.

    A round's review time runs from when its proposal reached an admin (the admin channel, or
    a DM when the channel failed), never before: one nobody has seen yet does not expire.
    """
    held = session.exec(
        select(Round, ProgramSettings)
        .join(ProgramSettings, col(ProgramSettings.team_id) == col(Round.team_id))
        .where(Round.status == RoundStatus.pending)
    ).all()
    due = []
    for rnd, settings in held:
        assert rnd.id is not None
        seen = reviewed_since(session, rnd.team_id, rnd.id)
        start = max(as_utc(rnd.created_at), seen) if seen else None
        if start is not None and start + timedelta(hours=settings.review_hours) <= now:
            due.append((rnd.team_id, rnd.id, settings.review_expiry))
    return due


def reviewed_since(session: Session, team_id: str, round_id: int) -> datetime | None:
    """When the round's proposal first reached an admin; None while it hasn't."""
    first = session.exec(
        select(func.min(Outbox.sent_at)).where(
            Outbox.team_id == team_id,
            Outbox.dedupe_key.startswith(f"review:{round_id}:"),
            Outbox.status == OutboxStatus.sent,
        )
    ).one()
    return as_utc(first) if first else None


def _held(session: Session, team_id: str, round_id: int) -> tuple[ProgramSettings, Round]:
    settings = session.get(ProgramSettings, team_id, with_for_update=True)
    rnd = session.get(Round, round_id, with_for_update=True)
    if settings is None or rnd is None or rnd.team_id != team_id or rnd.status != RoundStatus.pending:
        raise NotPending(round_id)
    return settings, rnd


def _choices(rnd: Round, kind: str) -> list[list[str]]:
    return [list(p) for p in (rnd.stats or {}).get(kind, [])]


def _resolve(
    session: Session,
    settings: ProgramSettings,
    rnd: Round,
    excluded: list[list[str]],
    required: list[list[str]],
    actor: str,
    now: datetime,
    action: str,
    **detail: object,
) -> Proposal:
    at = as_utc(rnd.created_at)
    pairs, unmatched, stats = match_round(
        session,
        rnd.team_id,
        settings,
        at,
        exclude=[(a, b) for a, b in excluded],
        require=[(a, b) for a, b in required],
    )
    assert rnd.id is not None
    session.exec(
        delete(Pairing).where(col(Pairing.round_id) == rnd.id, col(Pairing.status) == PairingStatus.proposed)
    )
    pairings.store(session, rnd.team_id, settings, rnd.id, at, pairs, PairingStatus.proposed)
    rnd.stats = {
        **(rnd.stats or {}),
        **stats,
        "pairs": len(pairs),
        "unmatched": stored_left_out(unmatched),
        "excluded": excluded,
        "required": required,
    }
    session.add(rnd)
    _audit(session, rnd, actor, now, action, detail)
    session.flush()
    return _proposal(session, settings, rnd)


def _proposal(session: Session, settings: ProgramSettings, rnd: Round) -> Proposal:
    assert rnd.id is not None
    return Proposal(
        rnd.id,
        pairings.review_rows(session, rnd.team_id, rnd.id),
        len((rnd.stats or {}).get("unmatched", {})),
        as_utc(rnd.created_at) + timedelta(hours=settings.review_hours),
        settings.review_expiry,
    )


def _close(
    session: Session, rnd: Round, status: str, actor: str, now: datetime, action: str, **detail: object
) -> None:
    rnd.status, rnd.finished_at = status, now
    session.add(rnd)
    _audit(session, rnd, actor, now, action, detail)


def _audit(
    session: Session, rnd: Round, actor: str, now: datetime, action: str, detail: dict[str, object]
) -> None:
    session.add(
        AuditLog(
            team_id=rnd.team_id,
            actor_id=actor,
            action=action,
            detail={"round": rnd.id, **detail},
            created_at=now,
        )
    )


def proposal(session: Session, team_id: str) -> Proposal | None:
    """The round waiting for review, as admins see it; None when none is."""
    try:
        round_id = pending_round(session, team_id)
    except NotPending:
        return None
    settings, rnd = session.get(ProgramSettings, team_id), session.get(Round, round_id)
    assert settings is not None and rnd is not None
    return _proposal(session, settings, rnd)
