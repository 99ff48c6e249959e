"""Profiles stored for real, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.services import participation, privacy, profiles
from bot.services.profiles import ProfileInvalid
from bot.storage.db import transaction
from bot.storage.models import AuditLog, Feedback, Member, MemberSkill, Outbox, Pairing, Round, Workspace
from tests.factories import committed
from tests.factories import profile_form as form
from tests.moments import MONDAY

T1, T2 = "T0001", "T0002"


def test_save_and_load_round_trip(engine):
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="Europe/Lisbon", now=MONDAY)
    with Session(engine) as s:
        p = profiles.load(s, T1, "U1")
    assert p is not None
    assert (p.name, p.seniority, p.team, p.mentor_capacity) == ("Ana", "senior", "Platform", 2)
    assert p.strengths == (("sql", 5), ("data pipelines", 4))
    assert p.goals == (("stakeholder management", 3),)
    with Session(engine) as s:
        assert s.get(Member, (T1, "U1")).timezone == "Europe/Lisbon"
        assert profiles.current_form(s, T1, "U1") == form()  # the modal reopens on what was saved


def test_editing_replaces_skills_and_keeps_created_at(engine):
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="UTC", now=MONDAY)
    with Session(engine) as s:
        created = s.get(Member, (T1, "U1")).created_at
    committed(
        engine,
        profiles.save,
        T1,
        "U1",
        form(strengths={"python": 3}, mentor_capacity=1),
        name="Ana",
        timezone="UTC",
        now=MONDAY,
    )
    with Session(engine) as s:
        p = profiles.load(s, T1, "U1")
        assert p.strengths == (("python", 3),)
        assert s.get(Member, (T1, "U1")).created_at == created


def test_invalid_profile_writes_nothing(engine):
    with pytest.raises(ProfileInvalid) as err:
        committed(
            engine,
            profiles.save,
            T1,
            "U1",
            form(goals={}, wants_mentor=True),
            name="Ana",
            timezone="UTC",
            now=MONDAY,
        )
    assert "goals" in err.value.errors
    with pytest.raises(ProfileInvalid):
        committed(
            engine,
            profiles.save,
            T1,
            "U1",
            form(strengths={"no-such-skill": 3}),
            name="Ana",
            timezone="UTC",
            now=MONDAY,
        )
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Member)).one() == 0
        assert s.exec(select(func.count()).select_from(MemberSkill)).one() == 0


def test_workspaces_never_see_each_other(engine):
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="UTC", now=MONDAY)
    committed(
        engine,
        profiles.save,
        T2,
        "U1",
        form(strengths={"python": 2}, mentor_capacity=1),
        name="Ana 2",
        timezone="UTC",
        now=MONDAY,
    )
    with Session(engine) as s:
        assert profiles.load(s, T1, "U1").strengths == (("sql", 5), ("data pipelines", 4))
        assert profiles.load(s, T2, "U1").strengths == (("python", 2),)
        assert [e.user_id for e in profiles.find(s, T2, "sql", "U9", now=MONDAY).people] == []
        assert [e.user_id for e in profiles.find(s, T1, "SQL", "U9", now=MONDAY).people] == ["U1"]
    committed(engine, privacy.forget, T2, "U1")
    with Session(engine) as s:
        assert profiles.load(s, T1, "U1") is not None


def test_find_matches_aliases_and_respects_open_to_contact(engine):
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="UTC", now=MONDAY)
    committed(
        engine,
        profiles.save,
        T1,
        "U2",
        form(strengths={"data-pipelines": 5}, open_to_contact=False),
        name="Bo",
        timezone="UTC",
        now=MONDAY,
    )
    with Session(engine) as s:
        found = profiles.find(s, T1, "spark", "U9", now=MONDAY)
        assert found.skill == "data pipelines"
        assert [(e.user_id, e.level) for e in found.people] == [("U1", 4)]
        assert profiles.find(s, T1, "basket weaving", "U9", now=MONDAY).skill is None
        assert profiles.find(s, T1, "sql", "U1", now=MONDAY).people == ()  # not yourself


def test_pause_and_resume(engine):
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="UTC", now=MONDAY)
    committed(engine, participation.pause, T1, "U1", weeks=2, now=MONDAY)
    with Session(engine) as s:
        paused = profiles.load(s, T1, "U1")
    assert paused.paused and paused.paused_until == MONDAY + timedelta(weeks=2)
    committed(engine, participation.resume, T1, "U1", now=MONDAY)
    with Session(engine) as s:
        assert not profiles.load(s, T1, "U1").paused
    with pytest.raises(profiles.NoProfile):
        committed(engine, participation.pause, T1, "U404", None, now=MONDAY)


def _add_pairing_with_feedback(engine):
    committed(
        engine,
        profiles.save,
        T1,
        "U2",
        form(wants_mentor=True, mentor_capacity=0, strengths={}),
        name="Bo",
        timezone="UTC",
        now=MONDAY,
    )
    with transaction(engine) as s:
        rnd = Round(team_id=T1, period="2026-W48", created_at=MONDAY)
        s.add(rnd)
        s.flush()
        pairing = Pairing(
            team_id=T1, round_id=rnd.id, mentor_id="U1", mentee_id="U2", reasons=["x"], started_at=MONDAY
        )
        s.add(pairing)
        s.flush()
        s.add(
            Feedback(
                team_id=T1,
                pairing_id=pairing.id,
                user_id="U2",
                kind="checkin",
                answer="met",
                created_at=MONDAY,
            )
        )
        s.add(
            Outbox(
                team_id=T1,
                dedupe_key="intro:1",
                kind="intro",
                recipients=["U1", "U2"],
                send_after=MONDAY,
                created_at=MONDAY,
            )
        )
        s.add(AuditLog(team_id=T1, actor_id="U1", action="admin.run", created_at=MONDAY))


def test_forget_me_leaves_no_orphans_and_export_shows_everything(engine):
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="UTC", now=MONDAY)
    _add_pairing_with_feedback(engine)
    with Session(engine) as s:
        data = privacy.export(s, T1, "U1")
    assert data["profile"]["name"] == "Ana"
    assert data["strengths"] == {"sql": 5, "data pipelines": 4}
    assert len(data["pairings"]) == 1 and len(data["messages"]) == 1 and len(data["admin_actions"]) == 1

    assert committed(engine, privacy.forget, T1, "U1")
    with Session(engine) as s:
        assert s.get(Member, (T1, "U1")) is None
        assert s.exec(select(MemberSkill).where(MemberSkill.user_id == "U1")).all() == []
        assert s.exec(select(Pairing)).all() == []
        assert s.exec(select(Feedback)).all() == []  # feedback on the deleted pairing went with it
        assert s.exec(select(Outbox)).all() == []
        assert [a.actor_id for a in s.exec(select(AuditLog)).all()] == [privacy.FORGOTTEN]
        assert s.get(Member, (T1, "U2")) is not None and s.get(Workspace, T1) is not None
        assert privacy.export(s, T1, "U1")["profile"] is None
    assert not committed(engine, privacy.forget, T1, "U1")


def test_two_concurrent_writers_leave_one_whole_profile(engine):
    """Both saves race on the same member; the result is one of them, never a mix."""
    committed(engine, profiles.save, T1, "U1", form(), name="Ana", timezone="UTC", now=MONDAY)
    a = form(strengths={"python": 5, "sql": 5, "pytorch": 5}, mentor_capacity=3)
    b = form(strengths={"kaggle": 2}, mentor_capacity=1)
    errors: list[BaseException] = []

    def write(f):
        try:
            for _ in range(5):
                committed(engine, profiles.save, T1, "U1", f, name="Ana", timezone="UTC", now=MONDAY)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f,)) for f in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Session(engine) as s:
        strengths = profiles.current_form(s, T1, "U1").strengths
        capacity = s.get(Member, (T1, "U1")).mentor_capacity
    assert (strengths, capacity) in [(a.strengths, 3), (b.strengths, 1)]
