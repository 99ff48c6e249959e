"""The bot's domain types: the states and kinds its records move through, and the plain data
services return and ``bot.rendering`` renders: a round's outcome and proposed pairs, forms, a member's
profile as shown back to them, report figures, and the notices (messages to send, as data)
that ``bot.notify`` renders and queues.

Words used throughout ``bot``: a *member* is a person in a workspace's program (the
``Member`` table row); ``MatchMember`` is ``matching.Member``, a member as the matching
engine takes them; ``engine`` on its own is always SQLAlchemy's.

Nothing here imports ``bot``. The statuses are ``StrEnum``s: a member compares and stores as
its string (the tables keep plain text columns), so ``PairingStatus.active == "active"``. The
matcher's vocabulary (objective, unmatched causes) lives in ``matching``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from matching import Member as MatchMember
from matching import Reason, UnmatchedCause

#: Skill gaps a report names in words.
GAPS_NAMED = 3


class RoundFormat(StrEnum):
    """What a program's weekly round makes (``ProgramSettings.format``, ``Round.format``)."""

    pairs = "pairs"
    shortlist = "shortlist"
    circles = "circles"


class RoundStatus(StrEnum):
    running = "running"  # claimed by a worker, not yet committed
    pending = "pending"  # held for the admins' review
    done = "done"
    dropped = "dropped"  # an admin dropped the held proposal


class PairingStatus(StrEnum):
    proposed = "proposed"  # in a round held for review; members know nothing yet
    active = "active"
    ended = "ended"  # its term ran out
    ended_early = "ended_early"  # a member said it isn't working


class CircleStatus(StrEnum):
    active = "active"
    ended = "ended"


class RequestStatus(StrEnum):
    """A mentee's request to a mentor on their shortlist."""

    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    withdrawn = "withdrawn"  # the mentee was paired meanwhile


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"  # claimed by a delivery worker
    sent = "sent"
    failed = "failed"


class FeedbackKind(StrEnum):
    checkin = "checkin"  # a few days in: have you met?
    end = "end"  # the end-of-term rating


class SkillKind(StrEnum):
    strength = "strength"
    goal = "goal"


class Refusal(ValueError):
    """Something a member asked for that the bot turns down: ``reason`` says why, in words meant
    for them (a :class:`matching.Reason`, written in their language where it is shown)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ProposedPair:
    """A pair the engine chose, named, with its reasons (what the intro and the review show)."""

    mentor_id: str
    mentee_id: str
    mentor_name: str
    mentee_name: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One proposed pair as admins see it in a review: numbered, and its stored pairing."""

    number: int
    pairing_id: int
    pair: ProposedPair


@dataclass(frozen=True, slots=True)
class Offer:
    """One mentor on a mentee's list, as the list message shows it."""

    option_id: int
    rank: int
    mentor_id: str
    mentor_name: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Proposal:
    """A held round as it stands after an edit, for the admins' view."""

    round_id: int
    rows: list[Row]
    unmatched: int
    expires: datetime
    expiry: str


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """One past round, as the dashboard's Rounds page lists it."""

    round_id: int
    period: str
    format: str
    status: RoundStatus
    pairs: int
    unmatched: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    period: str
    created: bool  # False: this period's round had already run (or dry run)
    round_id: int | None = None
    pairs: list[ProposedPair] = field(default_factory=list)
    unmatched: dict[str, Reason] = field(default_factory=dict)  # member id -> reason
    names: dict[str, str] = field(default_factory=dict)  # unmatched member id -> name
    ended: int = 0  # pairings whose term ended in this round
    pending: bool = False  # held for the admins' review (see ``review``)


@dataclass(frozen=True, slots=True)
class SettingsForm:
    cadence_weeks: int
    weekday: int
    hour: int
    timezone: str
    term_weeks: int
    checkin_days: int
    allow_same_team: bool
    admin_channel: str | None
    admins: list[str]
    objective: str
    rarity: float
    heads_up_hours: int
    no_show_limit: int
    review_before_publish: bool
    review_expiry: str
    format: str
    shortlist_size: int
    request_days: int


@dataclass(frozen=True, slots=True)
class ProfileForm:
    """What a member submits; skills are catalog ids mapped to level or priority."""

    role: str
    seniority: str
    target_role: str = ""
    team: str = ""
    strengths: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    other_goals: str = ""
    mentor_capacity: int = 0
    wants_mentor: bool = False
    open_to_contact: bool = True
    avoid: tuple[str, ...] = ()  # user ids never to be paired with, either way; private
    language: str = ""  # a catalog language (bot.i18n.LANGUAGES); "" follows their Slack locale


@dataclass(frozen=True, slots=True)
class CurrentPairing:
    """One of a member's active pairings, from their side: ``role`` is what the partner is to
    them ("mentor" when the partner mentors this member)."""

    partner_id: str
    partner_name: str
    role: str
    started_at: datetime
    ends_at: datetime | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """A shortlist request waiting for an answer: the member asked ``other_id``, or was asked."""

    other_id: str
    asked_by_me: bool
    answer_by: datetime


@dataclass(frozen=True, slots=True)
class MemberProfile:
    """A member's stored profile as the bot shows it back to them (``/mentor status``, App Home):
    what they entered, their skills by name (strongest or most wanted first), and what is going
    on for them now."""

    user_id: str
    name: str
    role: str
    seniority: str
    team: str
    target_role: str
    other_goals: str
    mentor_capacity: int
    wants_mentor: bool
    open_to_contact: bool
    paused: bool
    paused_until: datetime | None
    strengths: tuple[tuple[str, int], ...]  # (skill name, level)
    goals: tuple[tuple[str, int], ...]  # (skill name, priority)
    pairings: tuple[CurrentPairing, ...] = ()
    waiting: tuple[WaitingRequest, ...] = ()


@dataclass(frozen=True, slots=True)
class Expert:
    """Someone open to a chat about a skill (``/mentor find``)."""

    user_id: str
    role: str
    level: int


@dataclass(frozen=True, slots=True)
class FoundPeople:
    """Who lists a skill as a strength, strongest first; ``skill`` is None when the catalog has no
    such skill, and ``total`` counts everyone who matched (``people`` holds the first few)."""

    skill: str | None
    people: tuple[Expert, ...] = ()
    total: int = 0


class PairHealth(StrEnum):
    """How a pairing is going, from its check-ins and ratings (the dashboard's Pairs page)."""

    on_track = "on track"  # someone said they met, or rated it 3 or more
    needs_check_in = "needs a check-in"  # "not yet" past the check-in, no answer at all, or a low rating
    too_early = "too early to tell"  # the check-in hasn't gone out yet
    ended_early = "ended early"


@dataclass(frozen=True, slots=True)
class PairRow:
    """One pairing as the dashboard lists it."""

    pairing_id: int
    mentor_id: str
    mentor_name: str
    mentee_id: str
    mentee_name: str
    score: float
    reasons: tuple[Reason, ...]
    started_at: datetime
    ends_at: datetime | None
    status: PairingStatus
    health: PairHealth


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a long list: its rows, how many match in all, and which page this is."""

    rows: tuple[T, ...]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


class MemberState(StrEnum):
    active = "active"
    paused = "paused"
    gone_quiet = "gone quiet"  # paused by the bot after unanswered check-ins


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One member as the dashboard's Members page lists them."""

    user_id: str
    name: str
    role: str
    team: str
    mentor_places: int  # 0: not mentoring
    wants_mentor: bool
    state: MemberState
    waiting_since: str | None  # the round (period) since which they've been left without a mentor
    left_out_because: Reason | None  # why the latest round left them out


class InviteStatus(StrEnum):
    invite = "will be invited"
    member = "already has a profile"
    invited = "already invited"
    unknown = "not found in this Slack workspace"
    unreadable = "not a member id or an email address"


@dataclass(frozen=True, slots=True)
class InviteLine:
    """One line of a pasted list, as the import's preview shows it."""

    given: str
    user_id: str | None
    name: str
    status: InviteStatus
    language: str = ""  # theirs, from Slack's locale for them: the invitation is written in it


@dataclass(frozen=True, slots=True)
class FailedMessage:
    """A message the outbox gave up on (the dashboard's Delivery page): to whom, and why."""

    id: int
    kind: str
    recipients: tuple[str, ...]
    channel: str | None
    error: str
    queued_at: datetime


@dataclass(frozen=True, slots=True)
class SkillBalance:
    skill: str
    demand: int  # mentees (active, wanting a mentor) with it as a goal
    supply: int  # mentor places (capacity of active mentors) offering it

    @property
    def gap(self) -> int:
        return self.demand - self.supply


@dataclass(frozen=True, slots=True)
class RoundPoint:
    """One round: ``pairs`` who got a match (pairs made, shortlist requests accepted, members placed
    in ``circles``) and ``unmatched`` who wanted one and didn't."""

    period: str
    pairs: int
    unmatched: int
    meeting_rate: float | None
    format: str = "pairs"
    circles: int = 0

    @property
    def match_rate(self) -> float | None:
        asked = self.pairs + self.unmatched
        return self.pairs / asked if asked else None


@dataclass
class ModeOutcome:
    """How one program format did over the report's rounds, comparable across formats.

    ``asked``: people who wanted a match in those rounds (mentees for pairs and
    shortlists, members for circles); ``matched``: those who got one (paired, a
    request accepted, placed in a circle). Meetings are counted per pair or circle
    with a check-in answer; ratings are the end-of-term 1-5 ratings.
    """

    format: str
    rounds: int = 0
    asked: int = 0
    matched: int = 0
    answered: int = 0
    met: int = 0
    rating_total: int = 0
    ratings: int = 0

    @property
    def match_rate(self) -> float | None:
        return self.matched / self.asked if self.asked else None

    @property
    def meeting_rate(self) -> float | None:
        return self.met / self.answered if self.answered else None

    @property
    def satisfaction(self) -> float | None:
        return self.rating_total / self.ratings if self.ratings else None


@dataclass
class Report:
    weeks: int
    members: int = 0
    mentors: int = 0
    mentees: int = 0
    both: int = 0
    paused: int = 0
    capacity: int = 0
    capacity_used: int = 0
    latest: RoundPoint | None = None
    #: The latest round's members left without a mentor, by cause (None: not recorded, an older round).
    unmatched_by_cause: list[tuple[UnmatchedCause | None, int]] = field(default_factory=list)
    average_score: float | None = None
    lowest_score: float | None = None
    meeting_rate: float | None = None
    satisfaction: float | None = None
    ratings: int = 0
    ended_early: int = 0
    delivery_failures: int = 0
    trend: list[RoundPoint] = field(default_factory=list)
    skills: list[SkillBalance] = field(default_factory=list)
    comments: list[str] | None = None
    no_shows: list[str] = field(default_factory=list)  # names of members paused for not answering
    modes: list[ModeOutcome] = field(default_factory=list)  # each format the window's rounds used

    def gaps(self, n: int = GAPS_NAMED) -> list[str]:
        """The biggest unmet demands, in words an admin can act on."""
        words = []
        for s in sorted(self.skills, key=lambda s: (-s.gap, -s.demand, s.skill))[:n]:
            if s.gap <= 0:
                break
            one = s.demand == 1
            want = f"{s.demand} mentee{'' if one else 's'} want{'s' if one else ''} {s.skill}"
            offer = (
                "nobody offers it"
                if s.supply == 0
                else f"only {s.supply} mentor place{' offers' if s.supply == 1 else 's offer'} it"
            )
            words.append(f"{want}; {offer}")
        return words


# --- Messages a service causes, as data --------------------------------------------------------
# A service that decides a member should hear something returns a ``Notice``; ``bot.notify``
# renders its content (``bot.rendering``) and queues it for delivery in the caller's transaction.


#: A first meeting's length, as the slots and the calendar links have it.
FIRST_MEETING = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class FirstMeeting:
    """Slots a pair or circle can pick for a first meeting (``subject``: a pairing id, or
    ``c<circle id>``), or none and why."""

    subject: str
    slots: tuple[datetime, ...]
    why_none: str = ""


@dataclass(frozen=True, slots=True)
class Intro:
    """A new pair's introduction, with the mentee's goals for the first-meeting agenda."""

    pair: ProposedPair
    goals: tuple[str, ...]
    term_weeks: int
    meeting: FirstMeeting | None = None


@dataclass(frozen=True, slots=True)
class CheckIn:
    """ "Have you met?", a few days in; ``subject`` is a pairing id or ``c<circle id>``."""

    subject: str
    circle: bool = False


@dataclass(frozen=True, slots=True)
class LeftOut:
    """To a mentee the round left without a mentor: why, and that they have priority next."""

    reason: Reason


@dataclass(frozen=True, slots=True)
class FeedbackPrompt:
    """The end-of-term rating; ``partner_id`` for a pair, none for a circle."""

    subject: str
    partner_id: str | None = None


@dataclass(frozen=True, slots=True)
class RoundComing:
    """The DM before a round: who the member will be matched as, and how to skip or pause."""

    period: str
    at: datetime
    free_slots: int
    wants_mentor: bool


@dataclass(frozen=True, slots=True)
class NoShow:
    """The kind note to a member paused after ``unanswered`` check-ins in a row."""

    unanswered: int


@dataclass(frozen=True, slots=True)
class CircleIntro:
    members: tuple[MatchMember, ...]
    rotation: tuple[tuple[str, str], ...]
    meeting: FirstMeeting | None = None


@dataclass(frozen=True, slots=True)
class MoreSlots:
    """Three more first-meeting slots, after someone said none of the earlier ones work."""

    by: str
    meeting: FirstMeeting
    about: Intro | CircleIntro  # for the calendar event's title and agenda


@dataclass(frozen=True, slots=True)
class MeetingPicked:
    """To everyone in the pair or circle: ``by`` picked ``at`` for the first meeting."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CircleUnplaced:
    """To a member no circle could take this round."""


@dataclass(frozen=True, slots=True)
class EndedRequest:
    """A mentee's request that a mentor declined or let expire (``request_days`` to answer it)."""

    mentor_id: str
    status: RequestStatus
    request_days: int


@dataclass(frozen=True, slots=True)
class Shortlist:
    """A mentee's options, best first, each with an Ask button; after ``ended`` when it is sent again."""

    offers: tuple[Offer, ...]
    request_days: int
    ended: EndedRequest | None = None


@dataclass(frozen=True, slots=True)
class NobodyLeft:
    """A mentee's request ended and nobody else on their list has room."""

    ended: EndedRequest


@dataclass(frozen=True, slots=True)
class AskedToMentor:
    """The mentor's one-click Accept / Decline of a mentee's request."""

    request_id: int
    mentee_id: str
    reasons: tuple[Reason, ...]
    goals: tuple[str, ...]
    term_weeks: int
    answer_by: datetime


@dataclass(frozen=True, slots=True)
class RequestClosed:
    """To the mentor: what became of a request (it expired before they answered)."""

    status: RequestStatus
    mentee_id: str


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """A held round's proposal, to the reviewers, with its deadline and what then happens."""

    round_id: int
    rows: tuple[Row, ...]
    unmatched: int
    expires: datetime
    expiry: str


@dataclass(frozen=True, slots=True)
class Invitation:
    """An admin invites a colleague to fill in their mentoring profile."""

    by: str


NoticeContent = (
    Intro
    | CheckIn
    | LeftOut
    | FeedbackPrompt
    | RoundComing
    | NoShow
    | CircleIntro
    | CircleUnplaced
    | Shortlist
    | NobodyLeft
    | AskedToMentor
    | RequestClosed
    | ReviewRequest
    | MoreSlots
    | MeetingPicked
    | Invitation
)


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to send: to ``channel`` if given, else to a DM or group DM of ``recipients``, not
    before ``send_after`` (default: at once). ``key`` makes it unique in its workspace, so a
    retried unit of work never sends it twice. A channel message is written in the languages
    of its ``readers`` (the program's admins, for the admin channel)."""

    team_id: str
    key: str
    kind: str
    recipients: tuple[str, ...]
    content: NoticeContent
    channel: str | None = None
    send_after: datetime | None = None
    readers: tuple[str, ...] = ()
    #: (user, language) for readers the bot has no profile of yet (an invitee's Slack locale)
    known_languages: tuple[tuple[str, str], ...] = ()
