"""``mentorbot pair --now --dry-run``: the round a workspace would get, by name, nothing stored."""

from __future__ import annotations

from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli.app import app
from bot.storage.db import make_engine, migrate
from bot.storage.models import Round
from tests.bot.jobs.conftest import seed


def test_a_dry_run_names_the_pairs_and_the_members_left_out(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'pair.db'}"
    engine = make_engine(url)
    migrate(engine)
    seed(engine, mentors=1, mentees=2)  # one mentee must wait
    monkeypatch.setenv("DATABASE_URL", url)
    out = CliRunner().invoke(app, ["pair", "--now", "--dry-run"], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert "Mentor 0" in out.output and "dry run: nothing stored or sent" in out.output
    left_out = [line for line in out.output.splitlines() if "no mentor for" in line]
    assert len(left_out) == 1 and "Mentee " in left_out[0] and "UE00" not in left_out[0]
    with Session(engine) as s:
        assert s.exec(select(Round)).all() == []
