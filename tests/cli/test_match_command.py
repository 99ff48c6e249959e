"""``mentorbot match`` as an admin runs it: files in, table or JSON out, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from matching import UnmatchedCause
from matching.parse import parse_json
from matching.weights import SCORE_SCALE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AT = ["--at", "2026-11-23T12:00:00+00:00"]
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["match", *args, *AT])


def test_json_output_has_the_documented_shape(tmp_path):
    out = tmp_path / "out.json"
    result = run(str(EXAMPLES / "workspace.json"), "--output", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert json.loads(result.stdout) == doc
    assert set(doc) == {"pairs", "unmatched", "total_score"}
    assert doc["pairs"] and all(set(p) == {"mentor", "mentee", "score", "reasons"} for p in doc["pairs"])
    assert all(set(u) == {"id", "reason", "cause"} for u in doc["unmatched"])
    assert {u["cause"] for u in doc["unmatched"]} <= {c.value for c in UnmatchedCause}
    assert abs(sum(p["score"] for p in doc["pairs"]) - doc["total_score"]) < 1e-9
    # One pair or member left out per line, so the file reads (and diffs) line by line.
    lines = out.read_text().splitlines()
    assert all(any(f'"mentee": "{p["mentee"]}"' in line for line in lines) for p in doc["pairs"])
    assert len(lines) == len(doc["pairs"]) + len(doc["unmatched"]) + 7


def test_csv_and_json_inputs_give_the_same_pairs(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run(str(EXAMPLES / "workspace.csv"), "-o", str(a)).exit_code == 0
    # the JSON example also carries history and waiting; drop them to compare like with like
    doc = json.loads((EXAMPLES / "workspace.json").read_text())
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"members": doc["members"]}))
    assert run(str(plain), "-o", str(b)).exit_code == 0
    assert json.loads(a.read_text()) == json.loads(b.read_text())


def test_candidates_carry_exactly_the_scores_of_the_chosen_pairs(tmp_path):
    out, cands = tmp_path / "out.json", tmp_path / "cands.json"
    assert (
        run(str(EXAMPLES / "workspace.json"), "-o", str(out), "--candidates-out", str(cands)).exit_code == 0
    )
    candidates = {(c["mentor"], c["mentee"]): c["score"] for c in json.loads(cands.read_text())}
    pairs = json.loads(out.read_text())["pairs"]
    for p in pairs:
        assert candidates[(p["mentor"], p["mentee"])] == p["score"]
    assert len(candidates) > len(pairs)


def test_table_output_is_readable():
    result = run(str(EXAMPLES / "workspace.json"), "--format", "table")
    assert result.exit_code == 0
    assert "pairs, total score" in result.stdout
    assert "without a mentor this round" in result.stdout
    assert "overlapping working hours" in result.stdout


def test_bad_input_exits_2_with_one_clear_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,seniority,timezone\nu1,Ana,senior,Mars/Base\n")
    result = run(str(bad))
    assert result.exit_code == 2
    assert "row 2 (id 'u1'), field timezone: 'Mars/Base' is not an IANA time zone" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path):
    result = run(str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_best_score_objective_is_selectable(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run(str(EXAMPLES / "workspace.json"), "-o", str(a)).exit_code == 0
    assert run(str(EXAMPLES / "workspace.json"), "-o", str(b), "--objective", "best-score").exit_code == 0
    most, best = json.loads(a.read_text()), json.loads(b.read_text())
    assert len(most["pairs"]) >= len(best["pairs"])
    assert best["total_score"] >= most["total_score"]


@pytest.mark.parametrize("objective", ["most-matched", "best-score"])
@pytest.mark.parametrize("rarity", ["0", "1.5"])
def test_every_objective_is_exact_against_networkx_blossom(tmp_path, objective, rarity):
    """The admin's check: candidates out, an independent solver, the same optimum."""
    source = EXAMPLES / "workspace.json"
    out, cands = tmp_path / "r.json", tmp_path / "c.json"
    args = ["-o", str(out), "--candidates-out", str(cands), "--objective", objective, "--rarity", rarity]
    assert run(str(source), *args).exit_code == 0
    result, candidates = json.loads(out.read_text()), json.loads(cands.read_text())
    capacity = {m.id: m.mentor_capacity for m in parse_json(source.read_text()).members}
    G = nx.Graph()
    for c in candidates:  # a mentor with k slots is k interchangeable nodes
        for slot in range(capacity[c["mentor"]]):
            G.add_edge(("mentee", c["mentee"]), (c["mentor"], slot), weight=round(c["score"] * SCORE_SCALE))
    best = nx.max_weight_matching(G, maxcardinality=objective == "most-matched")
    assert round(result["total_score"] * SCORE_SCALE) == sum(G.edges[e]["weight"] for e in best)
    if objective == "most-matched":
        assert len(result["pairs"]) == len(best)


def test_rarity_out_of_range_is_a_usage_error():
    assert run(str(EXAMPLES / "workspace.json"), "--rarity", "3").exit_code == 2


def test_with_an_output_file_the_terminal_gets_a_summary(tmp_path):
    out = tmp_path / "out.json"
    result = run(str(EXAMPLES / "workspace.json"), "--output", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    lines = result.stdout.splitlines()
    assert (
        lines[0].startswith(f"{len(doc['pairs'])} pairs") and f"{len(doc['unmatched'])} without" in lines[0]
    )
    weakest = min(p["score"] for p in doc["pairs"])
    assert f"{weakest:.3f}" in result.stdout and "weakest pairs" in result.stdout
    assert "Why people were left without a mentor" in result.stdout and f"in {out}" in result.stdout
    assert len(lines) < 30  # a screenful, not one line per pair


def test_the_match_command_imports_only_what_it_uses():
    import subprocess
    import sys

    heavy = "('slack_bolt', 'matplotlib', 'sqlalchemy', 'pydantic_settings', 'rich.table', 'yaml')"
    probe = f"import sys, bot.cli.app; print(sorted(m for m in {heavy} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
