"""What makes a translation unusable in a Slack message: a missing translation, a placeholder
lost or invented, a Slack token (``<@U…>``, ``<!date^…>``, a link), a command in backticks or
the bold markers (``*``) not carried over, or a bare ``&``, ``<`` or ``>`` in mrkdwn.

The catalog test applies it to every message of every language; the rules are tested on
broken translations of their own, so a rule that could never fire would be noticed.
"""

from __future__ import annotations

import re
from collections import Counter
from string import Formatter

from bot.devtools.slack_rules import mrkdwn_problems

CODE = re.compile(r"`[^`]*`")
SLACK_TOKEN = re.compile(r"<[^<>]*>")
ENTITY = re.compile(r"&(?:amp|lt|gt);")


class _Sample:
    """A placeholder's value in a check: "x", whatever its format spec (``{score:.2f}``)."""

    def __format__(self, spec: str) -> str:
        return "x"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a ``str.format`` text (ValueError when its braces are broken).
    A translation may name one more or fewer times than the English ("{mentee}" twice in
    English, once in Chinese); it must name the same ones."""
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def translation_problems(source: str, translated: str) -> list[str]:
    """Why ``translated`` can't stand in for the English ``source`` (empty when it can)."""
    if not translated.strip():
        return ["not translated"]
    try:
        wanted, found = placeholders(source), placeholders(translated)
    except ValueError as exc:
        return [f"broken placeholder: {exc}"]
    problems = []
    if wanted != found:
        problems.append(f"placeholders {sorted(found)} instead of {sorted(wanted)}")
    for name, pattern in (
        ("Slack tokens", SLACK_TOKEN),
        ("commands in backticks", CODE),
        ("entities", ENTITY),
    ):
        if Counter(pattern.findall(source)) != Counter(pattern.findall(translated)):
            problems.append(f"{name} differ: {pattern.findall(translated)} for {pattern.findall(source)}")
    if source.count("*") != translated.count("*"):
        problems.append("bold markers (*) differ")
    sample = {name: _Sample() for name in wanted | found}
    if not mrkdwn_problems(source.format_map(sample)):  # a plain-text source may hold a bare "&"
        problems += mrkdwn_problems(translated.format_map(sample))
    return problems
