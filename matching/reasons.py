"""A reason, kept as its English message and values, so it can be read in another language.

The engine explains every pair and every member left out in English, but a reason is not
stored as English text: it is a message with ``{name}`` placeholders (a gettext message id)
and the values that fill them. ``str(reason)`` is the English; an application with
translations looks the message up in its catalog and fills it with the values, translating
the catalog words among them (skills, roles, seniority levels) and joining lists its own way.

The helpers :func:`reason`, :func:`reason_n` and :func:`phrase` are the keywords the
message extractor looks for (``babel.cfg``), so every message here reaches the catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


def join_words(words: Sequence[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


@dataclass(frozen=True, slots=True)
class Words:
    """Words a reason lists: catalog words (skills, roles, levels) or phrases (:func:`phrase`),
    which a reader's language may translate, joined "a, b and c" (``last``: "and" or "or");
    ``levels``, when given, follow each word ("sql (5/5)")."""

    items: tuple[str, ...]
    last: str = "and"
    levels: tuple[str, ...] = ()

    def english(self) -> str:
        shown = (
            [f"{w} ({lvl})" for w, lvl in zip(self.items, self.levels, strict=True)]
            if self.levels
            else self.items
        )
        return join_words(list(shown), self.last)

    def __format__(self, spec: str) -> str:  # how a message's placeholder shows it: the English
        return self.english()


#: A value that fills a placeholder: a name or a number as it is, or words to list.
Value = str | int | Words


@dataclass(frozen=True, slots=True)
class Reason:
    """``message`` filled with ``values``; when ``plural`` is given, ``count`` picks the form."""

    message: str
    values: Mapping[str, Value] = field(default_factory=dict)
    plural: str = ""

    def __hash__(self) -> int:  # values is a mapping: hashed through the English
        return hash((self.message, self.plural, str(self)))

    def form(self) -> str:
        """The English message of the right number, unfilled."""
        return self.plural if self.plural and self.values.get("count") != 1 else self.message

    def __str__(self) -> str:
        return self.form().format_map(self.values)  # Words format as their English

    def to_json(self) -> dict[str, Any]:
        """As plain JSON data (see :meth:`from_json`), defaults left out: rounds store thousands."""
        data: dict[str, Any] = {
            "message": self.message,
            "values": {k: _value_json(v) for k, v in self.values.items()},
        }
        if self.plural:
            data["plural"] = self.plural
        return data

    @classmethod
    def from_json(cls, data: str | Mapping[str, Any]) -> Reason:
        """From :meth:`to_json`'s data; a plain string (stored before reasons had values) is its
        own message."""
        if isinstance(data, str):
            return cls(data)
        values: dict[str, Value] = {
            k: Words(tuple(v["words"]), v.get("last", "and"), tuple(v.get("levels", ())))
            if isinstance(v, dict)
            else v
            for k, v in data.get("values", {}).items()
        }
        return cls(data["message"], values, data.get("plural", ""))


def _value_json(value: Value) -> Any:
    if not isinstance(value, Words):
        return value
    data: dict[str, Any] = {"words": list(value.items)}
    if value.last != "and":
        data["last"] = value.last
    if value.levels:
        data["levels"] = list(value.levels)
    return data


def reason(message: str, **values: Value) -> Reason:
    return Reason(message, values)


def reason_n(singular: str, plural: str, count: int, **values: Value) -> Reason:
    """A reason whose wording depends on ``count`` (a ``{count}`` placeholder)."""
    return Reason(singular, {"count": count, **values}, plural)


def phrase(words: str) -> str:
    """Marks a phrase a reason lists (in :class:`Words`) for the catalogs; it is returned as is."""
    return words
