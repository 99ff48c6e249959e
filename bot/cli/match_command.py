"""``mentorbot match``: run the matching engine on a JSON or CSV file of profiles.

This is how an admin tries the matcher on a spreadsheet before installing the bot,
and how the engine is benchmarked and checked from the shell.
"""

from __future__ import annotations

import gc
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console

from matching import MatchResult, Objective, Weights, match
from matching.parse import InputError, MatchInput, parse_csv, parse_json

#: Exit status for bad input, as for a usage error.
BAD_INPUT = 2


class Format(StrEnum):
    summary = "summary"  # counts, the weakest pairs, why people were left out, where the rest is
    table = "table"  # every pair and its reasons, streamed
    json = "json"


#: Pairs the summary shows, weakest first: the ones worth a look.
WEAKEST = 5


def register(app: typer.Typer) -> None:
    app.command("match")(match_file)


def match_file(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="Profiles as .json or .csv")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the result as JSON")] = None,
    candidates_out: Annotated[
        Path | None, typer.Option(help="Write every feasible scored pair as JSON")
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", help="summary (the default with --output or when piped), table (on a terminal), json"
        ),
    ] = None,
    objective: Annotated[
        Objective, typer.Option(help="most-matched: most mentees first; best-score: total score only")
    ] = Objective.most_matched,
    floor: Annotated[float | None, typer.Option(help="Lowest acceptable pair fit")] = None,
    rarity: Annotated[
        float, typer.Option(min=0, max=2, help="How much more scarce skills count (0 = off, up to 2)")
    ] = 0.0,
    at: Annotated[
        datetime | None, typer.Option(help="Round time for time-zone offsets (default: now)")
    ] = None,
) -> None:
    """Pair the mentees in INPUT with mentors, optimally, and say why."""
    with _without_cycle_collection():
        data = _load(input_file)
        weights = Weights(rarity=rarity) if floor is None else Weights(floor=floor, rarity=rarity)
        result = match(
            data.members,
            data.history,
            waiting=data.waiting,
            weights=weights,
            at=at.astimezone() if at else None,
            maxcardinality=objective.maxcardinality,
        )
        doc = result_document(result)
    if output:
        with output.open("w", encoding="utf-8") as out:
            _write_document(doc, out)
    if candidates_out:
        _write_candidates(candidates_out, result)
    if fmt is None:
        fmt = Format.summary if output or not sys.stdout.isatty() else Format.table
    if fmt is Format.json:
        _write_document(doc, sys.stdout)
    elif fmt is Format.table:
        _print_table(result)
    else:
        _print_summary(result, output)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Parsing and matching build about a million objects (profiles, skill maps, reasons) that hold
    no reference cycles; the cyclic collector would only walk them again and again (0.3-0.5 s at
    20,000 members). Memory is unchanged: plain reference counting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(path: Path) -> MatchInput:
    try:
        text = path.read_text(encoding="utf-8-sig")
        return parse_csv(text) if path.suffix.lower() == ".csv" else parse_json(text)
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: cannot read ({exc.strerror if isinstance(exc, OSError) else exc.reason})")
    except InputError as exc:
        _fail(f"{path}: {exc}")


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(BAD_INPUT)


def result_document(result: MatchResult) -> dict[str, Any]:
    """The documented OUT.json shape."""
    return {
        "pairs": [
            {"mentor": p.mentor, "mentee": p.mentee, "score": p.score, "reasons": [str(r) for r in p.reasons]}
            for p in result.pairs
        ],
        "unmatched": [
            {"id": u.id, "reason": str(u.reason), "cause": u.cause.value} for u in result.unmatched
        ],
        "total_score": result.total_score,
    }


def _write_document(doc: dict[str, Any], out: TextIO) -> None:
    """``doc`` as JSON, each item of its lists on a line of its own: readable, and written by
    the C encoder (an indented dump goes through the pure-Python one, 0.3 s for 13,000 pairs)."""
    fields = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {json.dumps(item, ensure_ascii=False)}" for item in value)
            fields.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            fields.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    out.write("{\n" + ",\n".join(fields) + "\n}\n")


def _write_candidates(path: Path, result: MatchResult) -> None:
    # Streamed: a 20,000-member workspace has millions of feasible pairs.
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for k, (mentor, mentee, score) in enumerate(result.candidates()):
            out.write(",\n" if k else "\n")
            out.write(json.dumps({"mentor": mentor, "mentee": mentee, "score": score}))
        out.write("\n]\n")


def _names(result: MatchResult) -> dict[str, str]:
    return {m.id: m.name for m in result.features.members}


def _proof(result: MatchResult) -> str:
    return (
        f"{result.feasible_pairs} feasible pairs considered; optimum proved after {result.rounds} "
        f"solve(s) on {result.graph_edges} of them.\n"
    )


def _print_summary(result: MatchResult, output: Path | None) -> None:
    """A screenful however large the workspace: what an admin reads first."""
    names, out = _names(result), sys.stdout
    mentors = len({p.mentor for p in result.pairs})
    out.write(
        f"{len(result.pairs)} pairs ({mentors} mentors), total score {result.total_score:.3f}; "
        f"{len(result.unmatched)} without a mentor this round.\n"
    )
    weakest = sorted(result.pairs, key=lambda p: p.score)[:WEAKEST]
    if weakest:
        out.write(f"\nThe {len(weakest)} weakest pairs:\n")
        for p in weakest:
            why = "; ".join(map(str, p.reasons[:2]))
            out.write(f"  {p.score:.3f}  {names[p.mentor]} -> {names[p.mentee]}: {why}\n")
    causes = Counter(u.cause for u in result.unmatched)
    if causes:
        out.write("\nWhy people were left without a mentor:\n")
        for cause, count in causes.most_common():
            out.write(f"  {count:>6}  {cause.label}\n")
    where = f"in {output}" if output else "with --format table (or --output FILE for JSON)"
    out.write(f"\nEvery pair and its reasons: {where}.\n" + _proof(result))


def _print_table(result: MatchResult) -> None:
    """Every pair with its reasons, written as it goes (no table held in memory)."""
    names, out = _names(result), sys.stdout
    out.write(f"{len(result.pairs)} pairs, total score {result.total_score:.3f}\n\n")
    for p in result.pairs:
        out.write(f"{names[p.mentor]} -> {names[p.mentee]}  (score {p.score:.3f})\n")
        out.writelines(f"    - {reason}\n" for reason in p.reasons)
    if result.unmatched:
        out.write(f"\n{len(result.unmatched)} without a mentor this round:\n")
        out.writelines(f"  {names[u.id]}: {u.reason}\n" for u in result.unmatched)
    out.write("\n" + _proof(result))
