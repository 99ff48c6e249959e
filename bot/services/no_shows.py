"""Members who stop answering: paused kindly, with one button to come back.

The signal is the check-in each new pair gets a few days after the intro ("have you
two met yet?"). A member who left ``limit`` check-ins in a row unanswered for at
least ``GRACE`` is paused at the start of the next round, so a silent member no
longer holds a mentee or a mentor slot, and is told so with an "I'm back" button.
Only check-ins after their last return count, so coming back starts afresh.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.domain import FeedbackKind, NoShow, Notice, OutboxStatus
from bot.storage.models import AuditLog, Feedback, Member, Outbox, Pairing, as_utc

#: How long a check-in may go unanswered before it counts as ignored.
GRACE = timedelta(days=7)
REASON = "no-show"


def silent_members(session: Session, team_id: str, limit: int, now: datetime) -> list[Member]:
    """Active members whose last ``limit`` check-ins (older than GRACE) all went unanswered.

    One pass over the workspace's sent check-ins, pairings and answers: O(pairings).
    """
    if limit <= 0:
        return []
    sent = {
        int(key.removeprefix("checkin:")): as_utc(sent_at)
        for key, sent_at in session.exec(
            select(Outbox.dedupe_key, Outbox.sent_at).where(
                Outbox.team_id == team_id, Outbox.kind == "checkin", Outbox.status == OutboxStatus.sent
            )
        )
        if sent_at is not None and as_utc(sent_at) <= now - GRACE
    }
    answered = set(
        session.exec(
            select(Feedback.pairing_id, Feedback.user_id).where(
                Feedback.team_id == team_id, Feedback.kind == FeedbackKind.checkin
            )
        )
    )
    history: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
    for pairing, mentor, mentee in session.exec(
        select(Pairing.id, Pairing.mentor_id, Pairing.mentee_id).where(Pairing.team_id == team_id)
    ):
        if pairing in sent:
            for user in (mentor, mentee):
                history[user].append((sent[pairing], (pairing, user) in answered))
    silent = []
    for user, attention_since in session.exec(
        select(col(Member.user_id), col(Member.attention_since)).where(
            col(Member.team_id) == team_id, ~col(Member.paused)
        )
    ):
        since = as_utc(attention_since) if attention_since else None
        recent = sorted((h for h in history[user] if since is None or h[0] > since), reverse=True)
        if len(recent) >= limit and not any(was_answered for _, was_answered in recent[:limit]):
            silent.append(user)
    return [session.get_one(Member, (team_id, user)) for user in silent]


def pause_silent_members(
    session: Session, notices: list[Notice], team_id: str, limit: int, round_id: int, now: datetime
) -> list[str]:
    """Pause them in the caller's transaction (the round's) and queue the kind note; their ids."""
    paused = []
    for member in silent_members(session, team_id, limit, now):
        member.paused, member.paused_until, member.pause_reason = True, None, REASON
        session.add(member)
        session.add(
            AuditLog(
                team_id=team_id,
                actor_id="mentorbot",
                action="noshow.pause",
                detail={"user": member.user_id, "unanswered": limit},
                created_at=now,
            )
        )
        notices.append(
            Notice(team_id, f"noshow:{round_id}:{member.user_id}", "noshow", (member.user_id,), NoShow(limit))
        )
        paused.append(member.user_id)
    return paused
