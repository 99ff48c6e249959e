"""Every benchmark's result: a table on the terminal, then the same rows as Markdown for BENCHMARKS.md."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table


def show(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int = 200) -> None:
    view = Table(title=title)
    for col in columns:
        view.add_column(col, justify="right")
    for row in rows:
        view.add_row(*row)
    Console(width=width).print(view)
    print("\n| " + " | ".join(columns) + " |\n|" + "---:|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row) + " |")
