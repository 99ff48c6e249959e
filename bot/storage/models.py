"""The database schema: every row belongs to one workspace (``team_id``).

Each table's primary key or a unique constraint starts with ``team_id``, and every
foreign key carries it, so a row can only ever point at rows of its own workspace.
Tables for later features (rounds, pairings, outbox, feedback, audit log) are here
from the start so the schema's shape is settled once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import JSON, Column, ForeignKeyConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.domain import (
    CircleStatus,
    OutboxStatus,
    PairingStatus,
    RequestStatus,
    RoundFormat,
    RoundStatus,
)
from matching import Reason


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Workspace(SQLModel, table=True):
    team_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    created_at: datetime


class Member(SQLModel, table=True):
    """A person's mentoring profile in one workspace."""

    __table_args__ = (ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),)

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    role: str = Field(default="", max_length=80)
    seniority: str = Field(default="mid", max_length=16)
    team: str = Field(default="", max_length=80)
    manager_id: str | None = Field(default=None, max_length=32)
    target_role: str = Field(default="", max_length=80)
    other_goals: str = Field(default="", max_length=500)
    mentor_capacity: int = 0
    wants_mentor: bool = False
    open_to_contact: bool = True
    paused: bool = False
    paused_until: datetime | None = None
    pause_reason: str | None = Field(default=None, max_length=16)  # "no-show": paused by the bot
    attention_since: datetime | None = None  # unanswered check-ins before this don't count
    heads_up: bool = True  # a DM before each round, with skip and pause buttons
    skip_period: str | None = Field(default=None, max_length=16)  # a round they sit out
    slack_locale: str = Field(default="", max_length=16)  # from Slack's users.info ("zh-CN")
    language: str = Field(default="", max_length=16)  # the member's choice; "" follows Slack's locale
    created_at: datetime
    updated_at: datetime


class Skill(SQLModel, table=True):
    """One entry of a workspace's skill catalog (seeded from the default catalog)."""

    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "name"),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=80)
    category: str = Field(default="Other", max_length=40)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    added_by: str | None = Field(default=None, max_length=32)


class MemberSkill(SQLModel, table=True):
    """A strength (value = level 1-5) or a learning goal (value = priority 1-3)."""

    __tablename__ = "member_skill"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "user_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["team_id", "skill_id"], ["skill.team_id", "skill.id"], ondelete="CASCADE"),
        Index("ix_member_skill_lookup", "team_id", "kind", "skill_id"),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=8)  # SkillKind
    skill_id: str = Field(primary_key=True, max_length=64)
    value: int


class ProgramSettings(SQLModel, table=True):
    """How a workspace runs its program (edited by admins)."""

    __tablename__ = "program_settings"
    __table_args__ = (ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),)

    team_id: str = Field(primary_key=True, max_length=32)
    cadence_weeks: int = 1
    weekday: int = 0  # Monday
    hour: int = 10
    timezone: str = Field(default="UTC", max_length=64)
    term_weeks: int = 6
    allow_same_team: bool = True
    checkin_days: int = 4
    admin_channel: str | None = Field(default=None, max_length=32)
    admins: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    objective: str = Field(default="most-matched", max_length=16)  # matching.Objective
    rarity: float = 0.0  # matching.Weights.rarity
    heads_up_hours: int = 24  # how long before each round members hear of it; 0: no heads-up
    no_show_limit: int = 3  # unanswered check-ins in a row before a member is paused; 0: never
    review_before_publish: bool = False  # admins see, edit and publish each round's pairs first
    review_hours: int = 24  # how long a held round waits for them
    review_expiry: str = Field(default="publish", max_length=16)  # then: "publish" or "drop"
    format: str = Field(default=RoundFormat.pairs, max_length=16)  # RoundFormat
    shortlist_size: int = 3  # "shortlist": mentors offered to each mentee
    request_days: int = 3  # "shortlist": days a mentor has to answer before the next best is offered


class Round(SQLModel, table=True):
    """One matching round; at most one per workspace and period."""

    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "period"),
        Index("ix_round_team_created", "team_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    period: str = Field(max_length=16)  # e.g. "2026-W48"
    status: str = Field(default=RoundStatus.running, max_length=16)  # RoundStatus
    format: str = Field(default=RoundFormat.pairs, max_length=16)  # the program's format when it ran
    stats: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime
    finished_at: datetime | None = None


class LearningCircle(SQLModel, table=True):
    """A peer learning circle formed by a round (the "circles" format)."""

    __tablename__ = "circle"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    round_id: int
    members: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rotation: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    score: float = 0.0
    status: str = Field(default=CircleStatus.active, max_length=16)  # CircleStatus
    ends_at: datetime | None = None
    created_at: datetime
    slots: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    meeting_at: datetime | None = None


class ShortlistOption(SQLModel, table=True):
    """A mentor offered to a mentee by a "shortlist" round: its rank on their list and why."""

    __tablename__ = "shortlist_option"
    __table_args__ = (
        ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["team_id", "mentee_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["team_id", "mentor_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        Index("ix_shortlist_option_mentee", "team_id", "mentee_id", "round_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    round_id: int
    mentee_id: str = Field(max_length=32)
    mentor_id: str = Field(max_length=32)
    rank: int  # 1 = their mentor in the round's optimal matching
    score: float = 0.0
    reasons: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # stored_reasons


class MentorRequest(SQLModel, table=True):
    """A mentee asking a mentor from their shortlist: pending until accepted, declined or expired.

    A pending request holds one of the mentor's free slots, so a mentor never has
    more requests waiting than room to accept them.
    """

    __tablename__ = "mentor_request"
    __table_args__ = (
        ForeignKeyConstraint(["option_id"], ["shortlist_option.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["team_id", "mentee_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["team_id", "mentor_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        Index("ix_mentor_request_open", "status", "expires_at"),
        Index("ix_mentor_request_members", "team_id", "mentor_id", "mentee_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    option_id: int
    round_id: int
    mentee_id: str = Field(max_length=32)
    mentor_id: str = Field(max_length=32)
    status: str = Field(default=RequestStatus.pending, max_length=16)  # RequestStatus
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None = None
    pairing_id: int | None = None  # the pairing an acceptance made


class Pairing(SQLModel, table=True):
    """A mentor-mentee pair: proposed, active, ended, or ended early."""

    __table_args__ = (
        ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["team_id", "mentor_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["team_id", "mentee_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        Index("ix_pairing_members", "team_id", "status", "mentor_id", "mentee_id"),
        Index("ix_pairing_round", "round_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    round_id: int
    mentor_id: str = Field(max_length=32)
    mentee_id: str = Field(max_length=32)
    score: float = 0.0
    reasons: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # stored_reasons
    status: str = Field(default=PairingStatus.active, max_length=16)  # PairingStatus
    started_at: datetime
    ends_at: datetime | None = None
    # First meeting: the slots offered (UTC epoch seconds, in order) and the one picked.
    slots: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    meeting_at: datetime | None = None


class Outbox(SQLModel, table=True):
    """A Slack message to send, written in the same transaction as what caused it."""

    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "dedupe_key"),
        Index("ix_outbox_due", "status", "send_after", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    dedupe_key: str = Field(max_length=120)
    kind: str = Field(max_length=32)
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=OutboxStatus.pending, max_length=16)  # OutboxStatus
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    send_after: datetime
    claimed_at: datetime | None = None  # renewed while the claim's holder is alive
    claim_token: str | None = Field(default=None, max_length=32)  # who holds the claim (``outbox``)
    first_claimed_at: datetime | None = None  # no earlier attempt can have reached Slack before this
    created_at: datetime
    sent_at: datetime | None = None


class Feedback(SQLModel, table=True):
    """A check-in answer or an end-of-term rating from a member of a pairing or of a circle."""

    __table_args__ = (
        ForeignKeyConstraint(["pairing_id"], ["pairing.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["circle_id"], ["circle.id"], ondelete="CASCADE"),
        Index("ix_feedback_pairing", "pairing_id", "kind"),
        Index("ix_feedback_circle", "circle_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    pairing_id: int | None = None  # exactly one of pairing_id and circle_id is set
    circle_id: int | None = None
    user_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # FeedbackKind
    answer: str | None = Field(default=None, max_length=32)
    rating: int | None = None
    comment: str | None = Field(default=None, max_length=2000)
    created_at: datetime


class Avoid(SQLModel, table=True):
    """A member's private "never pair me with": a hard constraint both ways, seen by nobody else."""

    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "user_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    other_id: str = Field(primary_key=True, max_length=32)


class HeadsUp(SQLModel, table=True):
    """The heads-up for a workspace's round of one period went out (once)."""

    __tablename__ = "heads_up"
    __table_args__ = (ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),)

    team_id: str = Field(primary_key=True, max_length=32)
    period: str = Field(primary_key=True, max_length=16)
    members: int = 0
    created_at: datetime


class AuditLog(SQLModel, table=True):
    """Who did what to the program, for admins and for refused attempts."""

    __tablename__ = "audit_log"
    __table_args__ = (ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    actor_id: str = Field(max_length=32)
    action: str = Field(max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime


# Slack's OAuth installation and state tables, defined by slack_sdk and registered on
# our metadata so that one set of Alembic migrations creates them (multi-workspace mode).
_stores = SQLAlchemyInstallationStore, SQLAlchemyOAuthStateStore
SLACK_BOTS = _stores[0].build_bots_table(SQLModel.metadata, "slack_bots")
SLACK_INSTALLATIONS = _stores[0].build_installations_table(SQLModel.metadata, "slack_installations")
SLACK_OAUTH_STATES = _stores[1].build_oauth_states_table(SQLModel.metadata, "slack_oauth_states")


def stored_reasons(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """Reasons as a ``reasons`` column holds them: message and values, so each reader gets them
    in their own language (see ``matching.reasons``)."""
    return [r.to_json() for r in reasons]


def loaded_reasons(stored: Iterable[Any]) -> tuple[Reason, ...]:
    """A ``reasons`` column's reasons (rows from before reasons had values hold English text)."""
    return tuple(Reason.from_json(r) for r in stored)


def stored_left_out(reasons: Mapping[str, Reason]) -> dict[str, Any]:
    """A round's ``stats["unmatched"]``: member id -> why they were left without a mentor."""
    return {member: r.to_json() for member, r in reasons.items()}


def loaded_left_out(stored: Mapping[str, Any]) -> dict[str, Reason]:
    return {member: Reason.from_json(r) for member, r in stored.items()}
