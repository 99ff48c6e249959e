"""The pairings export: every pairing of a workspace as CSV, for admins' spreadsheets."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from bot.domain import FeedbackKind
from bot.storage.models import Feedback, Member, Pairing, Round

#: The CSV header: stable English keys, so spreadsheets built on the export keep working.
CSV_COLUMNS = (
    "period",
    "mentor_id",
    "mentor",
    "mentee_id",
    "mentee",
    "score",
    "status",
    "started",
    "ends",
    "met",
    "mentor_rating",
    "mentee_rating",
)


def pairings_csv(session: Session, team_id: str, include_comments: bool = False) -> str:
    """Every pairing with its outcome, as CSV (comments only when asked for).

    One grouped query: a year of a 20,000-member program is ~100,000 pairings and
    ~400,000 feedback rows, far too many to load as objects.
    """
    mentor, mentee = aliased(Member), aliased(Member)
    answered_met = func.max(
        case(((col(Feedback.kind) == FeedbackKind.checkin) & (col(Feedback.answer) == "met"), 1), else_=0)
    )
    mentor_rating = func.max(
        case(
            (
                (col(Feedback.kind) == FeedbackKind.end) & (col(Feedback.user_id) == col(Pairing.mentor_id)),
                col(Feedback.rating),
            )
        )
    )
    mentee_rating = func.max(
        case(
            (
                (col(Feedback.kind) == FeedbackKind.end) & (col(Feedback.user_id) == col(Pairing.mentee_id)),
                col(Feedback.rating),
            )
        )
    )
    columns: list[Any] = [
        Round.period,
        Pairing.mentor_id,
        mentor.name,
        Pairing.mentee_id,
        mentee.name,
        Pairing.score,
        Pairing.status,
        Pairing.started_at,
        Pairing.ends_at,
        answered_met,
        mentor_rating,
        mentee_rating,
    ]
    if include_comments:
        columns.append(
            func.string_agg(Feedback.comment, " | ")
            if session.get_bind().dialect.name == "postgresql"
            else func.group_concat(Feedback.comment, " | ")
        )
    query = (
        select(*columns)
        .join(Round, col(Round.id) == col(Pairing.round_id))
        .outerjoin(
            mentor,
            (col(mentor.team_id) == col(Pairing.team_id)) & (col(mentor.user_id) == col(Pairing.mentor_id)),
        )
        .outerjoin(
            mentee,
            (col(mentee.team_id) == col(Pairing.team_id)) & (col(mentee.user_id) == col(Pairing.mentee_id)),
        )
        .outerjoin(Feedback, col(Feedback.pairing_id) == col(Pairing.id))
        .where(Pairing.team_id == team_id)
        .group_by(col(Pairing.id), col(Round.period), col(Round.created_at), mentor.name, mentee.name)
        .order_by(col(Round.created_at), col(Pairing.id))
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + (("comments",) if include_comments else ()))
    for row in session.exec(query):
        (
            period,
            mentor_id,
            mentor_name,
            mentee_id,
            mentee_name,
            score,
            status,
            started,
            ends,
            met,
            r_mentor,
            r_mentee,
        ) = row[:12]
        line = [
            period,
            mentor_id,
            mentor_name or "",
            mentee_id,
            mentee_name or "",
            f"{score:.6f}",
            status,
            started.date().isoformat(),
            ends.date().isoformat() if ends else "",
            "yes" if met else "no",
            r_mentor or "",
            r_mentee or "",
        ]
        if include_comments:
            line.append(row[12] or "")
        writer.writerow(line)
    return out.getvalue()
