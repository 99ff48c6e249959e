"""The dashboard's Members page: everyone in the program, their state, and who is waiting.

"Waiting since" is the first of the unbroken run of recent rounds (up to
``match_inputs.WAITING_LOOKBACK``) that left a member without a mentor, read from the
rounds' stored stats; "left out because" is the latest round's reason.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, or_, select

from bot.domain import MemberRow, MemberState, Page, RoundStatus
from bot.services.match_inputs import WAITING_LOOKBACK
from bot.services.no_shows import REASON as NO_SHOW
from bot.storage.models import Member, Round, loaded_left_out
from matching import Reason

PAGE_SIZE = 50


def members_page(
    session: Session, team_id: str, *, search: str = "", page: int = 1, size: int = PAGE_SIZE
) -> Page[MemberRow]:
    """Members by name; ``search`` matches a name, a role or a team."""
    where = [col(Member.team_id) == team_id]
    if search.strip():
        like = f"%{search.strip().lower()}%"
        where.append(
            or_(
                func.lower(Member.name).like(like),
                func.lower(Member.role).like(like),
                func.lower(Member.team).like(like),
            )
        )
    total = session.exec(select(func.count()).select_from(Member).where(*where)).one()
    page = max(1, page)
    members = session.exec(
        select(Member)
        .where(*where)
        .order_by(func.lower(Member.name), col(Member.user_id))
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    since, why = _waiting(session, team_id)
    rows = tuple(
        MemberRow(
            m.user_id,
            m.name or m.user_id,
            m.role,
            m.team,
            m.mentor_capacity,
            m.wants_mentor,
            MemberState.gone_quiet
            if m.paused and m.pause_reason == NO_SHOW
            else MemberState.paused
            if m.paused
            else MemberState.active,
            since.get(m.user_id),
            why.get(m.user_id),
        )
        for m in members
    )
    return Page(rows, total, page, size)


def _waiting(session: Session, team_id: str) -> tuple[dict[str, str], dict[str, Reason]]:
    """(member -> period they've waited since, member -> why the latest round left them out)."""
    recent = session.exec(
        select(Round.period, Round.stats)
        .where(Round.team_id == team_id, Round.status == RoundStatus.done)
        .order_by(col(Round.created_at).desc())
        .limit(WAITING_LOOKBACK)
    ).all()
    if not recent:
        return {}, {}
    why = loaded_left_out((recent[0][1] or {}).get("unmatched", {}))
    since: dict[str, str] = {}
    still = set(why)
    for period, stats in recent:  # newest first: walk back while they were left out
        left = set((stats or {}).get("unmatched", {}))
        for user in still & left:
            since[user] = period
        still &= left
    return since, why
