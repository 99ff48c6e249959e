"""Hostile and malformed input at every entry point: never a 500, never a half-written profile."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import Session, select

from bot.storage.models import Member, MemberSkill, Skill

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
words = st.sampled_from(
    [
        "",
        "help",
        "profile",
        "status",
        "pause",
        "resume",
        "find",
        "forget-me",
        "my-data",
        "admin",
        "admin run",
        "admin report",
        "admin add",
        "admin settings",
        "PAUSE",
    ]
)


def consistent(engine) -> None:
    """No member without the workspace's catalog behind their skills, no skill without its member."""
    with Session(engine) as s:
        orphans = s.exec(
            select(func.count())
            .select_from(MemberSkill)
            .outerjoin(
                Member, (Member.team_id == MemberSkill.team_id) & (Member.user_id == MemberSkill.user_id)
            )
            .where(Member.user_id.is_(None))
        ).one()
        assert orphans == 0
        for m in s.exec(select(Member)).all():
            assert m.seniority in ("student", "junior", "mid", "senior", "staff")
            assert 0 <= m.mentor_capacity <= 5
        known = {sk.id for sk in s.exec(select(Skill)).all()}
        assert {r.skill_id for r in s.exec(select(MemberSkill)).all()} <= known


@FUZZ
@given(word=words, rest=st.text(max_size=400))
def test_slash_command_text(harness, word, rest):
    reply = harness.bot.command(f"{word} {rest}".strip())
    assert reply.status_code == 200
    assert reply.text == "" or isinstance(reply.json(), dict)
    consistent(harness.engine)


@FUZZ
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "role",
                "seniority",
                "target_role",
                "team",
                "strength_5",
                "strength_4",
                "goal_3",
                "goal_1",
                "mentor_capacity",
                "flags",
                "other_goals",
                "junk",
            ]
        ),
        st.dictionaries(st.sampled_from(["value", "x"]), json_values, max_size=2),
        max_size=8,
    ),
    callback=st.sampled_from(["profile_modal", "feedback_modal", "program_settings_modal", "unknown"]),
    metadata=json_values,
)
def test_view_submissions(harness, values, callback, metadata):
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "view": {
            "type": "modal",
            "callback_id": callback,
            "state": {"values": values},
            "private_metadata": json.dumps(metadata)[:3000],
        },
    }
    reply = harness.bot.interaction(payload)
    assert reply.status_code in (200, 400, 404)
    consistent(harness.engine)


@FUZZ
@given(
    action=st.sampled_from(
        [
            "home_pause",
            "home_resume",
            "home_edit_profile",
            "forget_me_confirm",
            "checkin_met",
            "checkin_not_working",
            "feedback_open",
            "shortlist_ask_1",
            "request_accept",
            "request_decline",
            "review_remove",
            "headsup_skip",
            "nope",
        ]
    ),
    value=st.one_of(
        st.sampled_from(["1", "c1", "2147483648", "99999999999999999999", "²", "c", "c-1"]), json_values
    ),
    extra=st.dictionaries(st.text(max_size=8), json_values, max_size=3),
)
def test_block_actions(harness, action, value, extra):
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "trigger_id": "t",
        "response_url": harness.slack.url + "/respond/fuzz",
        "container": {},
        "actions": [
            {
                "action_id": action,
                "block_id": "b",
                "type": "button",
                "value": value if isinstance(value, str) else json.dumps(value),
            }
        ],
        **extra,
    }
    assert harness.bot.interaction(payload).status_code in (200, 400, 404)
    consistent(harness.engine)


@FUZZ
@given(
    event=st.dictionaries(st.sampled_from(["type", "user", "tab", "channel", "x"]), json_values, max_size=4)
)
def test_events(harness, event):
    event = {**event, "type": "app_home_opened"} if "type" not in event else event
    assert harness.bot.event(event).status_code in (200, 400, 404)
    assert harness.bot.command("help").status_code == 200  # still serving


def stored_profile(engine) -> tuple | None:
    """U1's profile as stored: the member row's fields that the form sets, and their skills."""
    with Session(engine) as s:
        m = s.get(Member, ("T1", "U1"))
        if m is None:
            return None
        skills = sorted((r.kind, r.skill_id, r.value) for r in s.exec(select(MemberSkill)))
        return (m.role, m.seniority, m.team, m.target_role, m.mentor_capacity, m.wants_mentor, skills)


def test_mutated_real_submissions_are_saved_whole_or_not_at_all(harness):
    """Start from a valid profile submission and mutate it: each one is either saved exactly as
    parsed, or refused with the stored profile untouched. Both outcomes must occur."""
    import random

    from bot.devtools.signed_http import view_submission
    from bot.rendering.profile_modal import parse_submission
    from tests.bot.listeners.conftest import MENTOR_PROFILE, state

    rng = random.Random(11)
    skills = ["sql", "python", "data-pipelines", "stakeholder-management", "deep-learning", "no-such-skill"]
    mutations = {
        "seniority": lambda: rng.choice(["junior", "staff", "wizard", ""]),
        "mentor_capacity": lambda: rng.choice(["0", "1", "5", "6", "-1", "x"]),
        "team": lambda: rng.choice(["Platform", "<!channel> & co", "t" * rng.choice([10, 81]), ""]),
        "flags": lambda: rng.sample(["wants_mentor", "open_to_contact"], rng.randint(0, 2)),
        **{
            block: (lambda: rng.sample(skills, rng.randint(0, 2)))
            for block in ("strength_5", "strength_4", "strength_3", "goal_3", "goal_2")
        },
    }
    outcomes = Counter()
    for _ in range(60):
        fields = dict(MENTOR_PROFILE)
        for block in rng.sample(sorted(mutations), rng.randint(0, 3)):
            fields[block] = mutations[block]()
        if rng.random() < 0.1:
            fields.pop(rng.choice(sorted(fields)))
        values = state(**fields)
        before = stored_profile(harness.engine)
        reply = harness.bot.interaction(view_submission(values)).json()
        outcomes[reply["response_action"]] += 1
        after = stored_profile(harness.engine)
        if reply["response_action"] == "update":
            form = parse_submission(values)
            skills_sent = sorted(
                [("strength", s, v) for s, v in form.strengths.items()]
                + [("goal", s, v) for s, v in form.goals.items()]
            )
            assert after == (
                form.role,
                form.seniority,
                form.team.strip(),
                form.target_role,
                form.mentor_capacity,
                form.wants_mentor,
                skills_sent,
            )
        else:
            assert after == before, reply["errors"]
        consistent(harness.engine)
    assert outcomes["update"] >= 5 and outcomes["errors"] >= 5, outcomes
