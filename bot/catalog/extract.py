"""A Babel extractor for the default skill catalog: its skill names, categories and roles, and
the engine's seniority levels, are words members read, so they are translated like the bot's
own texts (babel.cfg names this function)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from matching import Seniority


def extract_catalog(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor interface: (line, function, message, translator comments) per word."""
    doc = json.load(fileobj)
    seen: set[str] = set()
    for skill in doc["skills"]:
        for word, what in ((skill["name"], "a skill"), (skill["category"], "a group of skills")):
            if word not in seen:
                seen.add(word)
                yield 0, None, word, [f"Translators: {what} in the skill catalog"]
    for role in doc["roles"]:
        if role not in seen:
            seen.add(role)
            yield 0, None, role, ["Translators: a job role in the skill catalog"]
    for level in Seniority:
        yield 0, None, level.label, ["Translators: a seniority level (in reasons: 'both are senior')"]
