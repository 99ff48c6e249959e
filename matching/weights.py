"""Every knob of the match score, in one place.

A program admin tunes the matcher by changing these numbers and nothing else; the
scorer, the explanations and the unmatched-reason analysis all read them from here,
so that what the bot *says* about a pair always agrees with how it *scored* it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Scores are compared as integers in millionths, so that the solver, the
#: optimality certificate and the exported candidates agree to the last digit.
SCORE_SCALE = 1_000_000


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights and hard limits of the pair score.

    The score of a feasible (mentor, mentee) pair is::

        coverage   * goal coverage            (0..1, priority-weighted)
      + seniority  * seniority_fit[gap]       (gap = mentor level - mentee level, 0..4)
      + target_role * [mentor's role == mentee's target role]
      + overlap    * shared working hours / workday length
      + other_team * [different teams]
      + waiting    * min(rounds the mentee waited, waiting_cap)
      - repeat     * 0.5 ** (weeks since they were last paired / repeat_half_life_weeks)

    With the defaults a very good pair scores about 1.0. With ``rarity`` above 0 a
    mentee's goals are weighted by how scarce each skill is in the round (see
    :func:`matching.features.skill_weights`), so covering a skill few can teach is
    worth more of the coverage term than covering one many can.
    """

    coverage: float = 0.50
    seniority: float = 0.15
    target_role: float = 0.15
    overlap: float = 0.10
    other_team: float = 0.05
    waiting: float = 0.05
    waiting_cap: int = 3
    repeat: float = 0.40
    repeat_half_life_weeks: float = 12.0

    #: Credit for a seniority gap of 0, 1, 2, 3 and 4 levels. A mentor junior to the
    #: mentee is never proposed; one or two levels ahead is the sweet spot.
    seniority_fit: tuple[float, float, float, float, float] = (0.2, 0.9, 1.0, 0.6, 0.3)

    #: How many levels above the mentee's own a mentor's strength must be for full
    #: credit on that goal (one level above earns 1/3 with the default).
    full_credit_gap: int = 3

    #: Lowest acceptable pair fit (the score without the waiting boost: waiting
    #: raises a mentee's priority, it does not lower the bar for a good pair).
    floor: float = 0.25

    #: Working day in local time, and the least shared time that lets a pair meet.
    workday_start: float = 9.0
    workday_end: float = 17.0
    min_overlap_hours: float = 1.0

    #: When false, same-team pairs are infeasible rather than merely discouraged.
    allow_same_team: bool = True

    #: How much more a goal counts when its skill is scarce: its weight is
    #: ``1 + rarity * scarcity`` with scarcity in 0..1 (0: off, the default; at most 2).
    rarity: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.workday_start < self.workday_end <= 24:
            raise ValueError("workday must satisfy 0 <= start < end <= 24")
        if len(self.seniority_fit) != 5:
            raise ValueError("seniority_fit needs one value per gap 0..4")
        if self.full_credit_gap < 1:
            raise ValueError("full_credit_gap must be at least 1")
        if self.repeat_half_life_weeks <= 0:
            raise ValueError("repeat_half_life_weeks must be positive")
        if not 0 <= self.rarity <= 2:
            raise ValueError("rarity must be between 0 and 2")

    @property
    def workday_hours(self) -> float:
        return self.workday_end - self.workday_start
