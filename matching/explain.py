"""Reasons for every pair and for every mentee left without one.

Reasons are built from the very components the score used (:class:`Scored`), so an
explanation can never praise something the matcher did not count. Unmatched
reasons are addressed to the mentee ("you"), because that is who reads them. Each is a
:class:`~matching.reasons.Reason`: English, and translatable (see :mod:`matching.reasons`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matching.features import Features
from matching.profile import MAX_LEVEL
from matching.reasons import Reason, Words, phrase, reason, reason_n
from matching.scoring import Scored, score_pairs
from matching.weights import Weights

#: Skills named in one sentence; more would be a list, not a reason.
MAX_SKILLS_NAMED = 3
#: With a rarity weight on, a skill at least this scarce (demand share) is called out.
SCARCE = 0.5


class UnmatchedCause(StrEnum):
    """Why a member who wants a mentor has none this round, as a machine-readable cause.

    The first four are about the member or the supply of mentors; the rest name the
    hard constraint that most often stood between them and the mentors who offer
    what they want.
    """

    paused = "paused"
    no_goals = "no-goals"
    nobody_offers = "nobody-offers"
    at_capacity = "at-capacity"
    manager = "manager"
    less_senior = "less-senior"
    no_shared_hours = "no-shared-hours"
    same_team = "same-team"
    unavailable = "unavailable"
    below_floor = "below-floor"

    @property
    def label(self) -> str:
        """How a summary for admins names the cause (the member-facing reason is more specific)."""
        return _CAUSE_LABELS[self]


_CAUSE_LABELS = {
    UnmatchedCause.paused: phrase("paused"),
    UnmatchedCause.no_goals: phrase("no learning goals yet"),
    UnmatchedCause.nobody_offers: phrase("nobody offers the skills they want"),
    UnmatchedCause.at_capacity: phrase("the mentors who could help were full"),
    UnmatchedCause.manager: phrase("only their manager or reports offer it"),
    UnmatchedCause.less_senior: phrase("no more senior mentor"),
    UnmatchedCause.no_shared_hours: phrase("no shared working hours"),
    UnmatchedCause.same_team: phrase("same-team pairs not allowed"),
    UnmatchedCause.unavailable: phrase("the mentors who could help aren't available to them"),
    UnmatchedCause.below_floor: phrase("matches below the program's minimum"),
}


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A member left without a mentor: ``reason`` is written to them; ``cause`` is for grouping."""

    id: str
    reason: Reason
    cause: UnmatchedCause


def _hours(h: float) -> str:
    return f"{round(h * 2) / 2:g}"


def pair_reasons(f: Features, w: Weights, scored: Scored) -> list[tuple[Reason, ...]]:
    """Reasons for each scored pair, strongest first."""
    return [_reasons_for(f, w, scored, k) for k in range(len(scored))]


def _reasons_for(f: Features, w: Weights, s: Scored, k: int) -> tuple[Reason, ...]:
    mentee, mentor = f.members[s.mentee[k]], f.members[s.mentor[k]]
    me, you = mentor.name, mentee.name
    reasons = []

    taught = [
        skill
        for skill in sorted(mentee.goals, key=lambda g: (-mentee.goals[g], g))
        if mentor.strengths.get(skill, 0) > mentee.strengths.get(skill, 0)
    ]
    if taught:
        named = taught[:MAX_SKILLS_NAMED]
        skills = Words(tuple(named), levels=tuple(f"{mentor.strengths[g]}/{MAX_LEVEL}" for g in named))
        if mentee.goals[taught[0]] == max(mentee.goals.values()):
            strong = reason(
                "{mentor} is strong in {skills}, which {mentee} wants to learn, including the top priority",
                mentor=me,
                mentee=you,
                skills=skills,
            )
        else:
            strong = reason(
                "{mentor} is strong in {skills}, which {mentee} wants to learn",
                mentor=me,
                mentee=you,
                skills=skills,
            )
        reasons.append(strong)
        scarce = [g for g in taught if f.scarcity[f.skills.index(g)] >= SCARCE] if w.rarity > 0 else []
        if scarce:
            reasons.append(
                reason("few people here can teach {skills}", skills=Words(tuple(scarce[:MAX_SKILLS_NAMED])))
            )
    if s.target_role[k]:
        reasons.append(
            reason(
                "{mentor} is a {role}, the role {mentee} is aiming for",
                mentor=me,
                mentee=you,
                role=Words((mentor.role,)),
            )
        )

    gap = int(s.gap[k])
    mine, theirs = Words((mentor.seniority.label,)), Words((mentee.seniority.label,))
    if gap == 0:
        reasons.append(reason("both are {level}: a peer who is further ahead in these skills", level=mine))
    elif gap <= 2:
        reasons.append(
            reason(
                "{mentor} is {level} and {mentee} is {other_level}: "
                "a step ahead, close enough to remember the path",
                mentor=me,
                mentee=you,
                level=mine,
                other_level=theirs,
            )
        )
    else:
        reasons.append(reason("{mentor} is {level}: a long view from further ahead", mentor=me, level=mine))

    reasons.append(reason("{hours} h of overlapping working hours", hours=_hours(float(s.overlap[k]))))
    if s.other_team[k] and mentor.team and mentee.team:
        reasons.append(
            reason(
                "different teams ({team}, {other_team}): a new connection across the organisation",
                team=mentor.team,
                other_team=mentee.team,
            )
        )
    if s.waiting[k]:
        reasons.append(
            reason_n(
                "{mentee} waited {count} round for a mentor, so had priority",
                "{mentee} waited {count} rounds for a mentor, so had priority",
                int(s.waiting[k]),
                mentee=you,
            )
        )
    if np.isfinite(s.weeks_since[k]):
        reasons.append(
            reason_n(
                "paired before, {count} week ago, and still the best fit available",
                "paired before, {count} weeks ago, and still the best fit available",
                round(float(s.weeks_since[k])),
            )
        )
    return tuple(reasons)


def unmatched_reasons(
    f: Features,
    w: Weights,
    candidates: np.ndarray,
    matched: np.ndarray,
    excluded: frozenset[int] = frozenset(),
) -> Iterator[Unmatched]:
    """Each member who wants a mentor and did not get one, with the reason and its cause.

    ``candidates`` is, per member position, how many feasible mentors they had.

    ``excluded`` holds ``mentor * size + mentee`` of pairs ruled out from outside
    the profiles (a member's private list, an admin's review); they are described
    only as unavailable, so the reason never reveals who ruled out whom.
    """
    for k, member in enumerate(f.members):
        if not member.wants_mentor or matched[k]:
            continue
        if member.paused:
            yield Unmatched(member.id, reason("paused"), UnmatchedCause.paused)
        elif not member.goals:
            yield Unmatched(
                member.id, reason("no learning goals in the profile yet"), UnmatchedCause.no_goals
            )
        else:
            yield Unmatched(member.id, *_why_no_mentor(f, w, k, int(candidates[k]), excluded))


def _why_no_mentor(
    f: Features, w: Weights, k: int, candidates: int, excluded: frozenset[int]
) -> tuple[Reason, UnmatchedCause]:
    member = f.members[k]
    wanted = sorted(member.goals, key=lambda g: (-member.goals[g], g))
    cols = [f.skills.index(g) for g in wanted]
    mentors = f.mentors[f.mentors != k]
    leads = f.levels[np.ix_(mentors, cols)] > f.levels[k, cols]
    offered = [g for g, any_lead in zip(wanted, leads.T, strict=True) if any_lead.any()]
    if not offered:
        skills = Words(tuple(wanted[:MAX_SKILLS_NAMED]), "or")
        return reason("nobody offers {skills} yet", skills=skills), UnmatchedCause.nobody_offers

    skills = Words(tuple(offered[:2]), "or")
    if candidates:
        full = reason_n(
            "the {count} mentor who could mentor you in {skills} is at capacity this round",
            "the {count} mentors who could mentor you in {skills} are at capacity this round",
            candidates,
            skills=skills,
        )
        return full, UnmatchedCause.at_capacity

    offering = mentors[leads.any(axis=1)]
    s = score_pairs(f, w, np.full(len(offering), k), offering)
    blockers = Counter(
        UnmatchedCause.unavailable if int(s.mentor[j]) * f.size + k in excluded else _blocker(f, w, s, j)
        for j in range(len(s))
    )
    ranked = [b for b, _ in blockers.most_common()]
    phrases = Words(tuple(_BLOCKER_PHRASES[b][0 if len(offering) == 1 else 1] for b in ranked), "or")
    blocked = reason_n(
        "the {count} mentor who offers {skills} {blockers}",
        "the {count} mentors who offer {skills} {blockers}",
        len(offering),
        skills=skills,
        blockers=phrases,
    )
    return blocked, ranked[0]


#: What stops a mentor who offers the skill, as (singular, plural) phrases.
_BLOCKER_PHRASES = {
    UnmatchedCause.manager: (phrase("manages you or reports to you"), phrase("manage you or report to you")),
    UnmatchedCause.less_senior: (phrase("is less senior than you"), phrase("are less senior than you")),
    UnmatchedCause.no_shared_hours: (
        phrase("shares too little working time with you"),
        phrase("share too little working time with you"),
    ),
    UnmatchedCause.same_team: (
        phrase("is on your own team, and this program pairs across teams"),
        phrase("are on your own team, and this program pairs across teams"),
    ),
    UnmatchedCause.unavailable: (
        phrase("isn't available to you this round"),
        phrase("aren't available to you this round"),
    ),
    UnmatchedCause.below_floor: (
        phrase("is too weak a match overall (below the program's minimum score)"),
        phrase("are too weak a match overall (below the program's minimum score)"),
    ),
}


def _blocker(f: Features, w: Weights, s: Scored, j: int) -> UnmatchedCause:
    """The first hard constraint pair ``j`` fails."""
    mentee, mentor = int(s.mentee[j]), int(s.mentor[j])
    if f.manager[mentee] == mentor or f.manager[mentor] == mentee:
        return UnmatchedCause.manager
    if s.gap[j] < 0:
        return UnmatchedCause.less_senior
    if s.overlap[j] < w.min_overlap_hours:
        return UnmatchedCause.no_shared_hours
    if not (w.allow_same_team or s.other_team[j]):
        return UnmatchedCause.same_team
    return UnmatchedCause.below_floor


def why_infeasible(f: Features, w: Weights, mentee: int, mentor: int) -> Reason:
    """Why the pair (member positions) can't be proposed: the first hard constraint it fails.

    For an admin who asks for a specific pair; the answer names both people.
    """
    them, me = f.members[mentee], f.members[mentor]
    names = {"mentor": me.name, "mentee": them.name}
    if mentee == mentor:
        return reason("{mentor} can't mentor themselves", mentor=me.name)
    if not them.is_mentee:
        return reason("{mentee} isn't looking for a mentor this round", mentee=them.name)
    if not me.is_mentor:
        return reason("{mentor} has no free mentoring slot this round", mentor=me.name)
    s = score_pairs(f, w, np.asarray([mentee]), np.asarray([mentor]))
    if s.coverage[0] <= 0:
        return reason("{mentor} isn't stronger than {mentee} in anything {mentee} wants to learn", **names)
    return Reason(_ADMIN_BLOCKERS[_blocker(f, w, s, 0)], names)


#: What stops a pair, as an admin reads it (the member-facing phrases say "you").
_ADMIN_BLOCKERS = {
    UnmatchedCause.manager: phrase("{mentor} manages {mentee} or reports to {mentee}"),
    UnmatchedCause.less_senior: phrase("{mentor} is less senior than {mentee}"),
    UnmatchedCause.no_shared_hours: phrase("{mentor} shares too little working time with {mentee}"),
    UnmatchedCause.same_team: phrase("{mentor} is on {mentee}'s team, and this program pairs across teams"),
    UnmatchedCause.unavailable: phrase("{mentor} isn't available to {mentee} this round"),
    UnmatchedCause.below_floor: phrase(
        "{mentor} is too weak a match for {mentee} overall (below the program's minimum score)"
    ),
}
