"""Catalog words (skill names, categories, roles) and the engine's reasons in the reader's language.

The default catalog's words are in the gettext catalogs (``bot.catalog.extract`` feeds them
to ``pybabel extract``); a skill or role a member or an admin typed stays as they typed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.i18n import _, ngettext
from matching import Reason, Words


def term(word: str) -> str:
    """A catalog word in the current language (an empty word stays empty: gettext's "" is its header)."""
    return _(word) if word else word


def terms(words: Iterable[str]) -> list[str]:
    return [term(w) for w in words]


def joined(words: Sequence[str], last: str = "and") -> str:
    """'a, b and c' (``last``: "and" or "or") the current language's way."""
    if len(words) <= 1:
        return "".join(words)
    # Translators: the separator in a list of words, before the last "and" / "or".
    rest = _(", ").join(words[:-1])
    if last == "or":
        return _("{words} or {last}").format(words=rest, last=words[-1])
    return _("{words} and {last}").format(words=rest, last=words[-1])


def reason_text(reason: Reason) -> str:
    """One of the engine's reasons in the current language (plain text: escape it for mrkdwn)."""
    if not reason.values:  # a fixed message, or English stored before reasons had values
        return _(reason.message)
    count = reason.values.get("count")
    message = (
        ngettext(reason.message, reason.plural, count)
        if reason.plural and isinstance(count, int)
        else _(reason.message)
    )
    return message.format_map({k: _words(v) if isinstance(v, Words) else v for k, v in reason.values.items()})


def _words(words: Words) -> str:
    shown = terms(words.items)
    if words.levels:
        shown = [f"{w} ({level})" for w, level in zip(shown, words.levels, strict=True)]
    return joined(shown, words.last)
