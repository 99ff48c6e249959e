"""The matching engine: pure functions from member profiles to explained pairs.

No Slack and no database here: :mod:`bot` depends on this package, never the
reverse. The entry points are :func:`match` (a round of pairs),
:func:`shortlists` (options a mentee chooses from) and
:func:`matching.circles.form_circles` (peer learning circles).
"""

from matching.bmatching import max_weight_b_matching, solve_b_matching
from matching.engine import InfeasiblePair, MatchResult, Objective, Pair, match
from matching.explain import Unmatched, UnmatchedCause
from matching.profile import Member, PastPairing, ProfileError, Seniority
from matching.reasons import Reason, Words
from matching.shortlist import Shortlist, ShortlistResult, shortlists
from matching.weights import Weights

__all__ = [
    "InfeasiblePair",
    "MatchResult",
    "Member",
    "Objective",
    "Pair",
    "PastPairing",
    "ProfileError",
    "Reason",
    "Seniority",
    "Shortlist",
    "ShortlistResult",
    "Unmatched",
    "UnmatchedCause",
    "Weights",
    "Words",
    "match",
    "max_weight_b_matching",
    "shortlists",
    "solve_b_matching",
]
