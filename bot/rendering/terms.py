"""Catalog words (skill names, categories, roles) in the reader's language.

The default catalog's words are in the gettext catalogs (``bot.catalog.extract`` feeds them
to ``pybabel extract``); a skill or role a member or an admin typed stays as they typed it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import _


def term(word: str) -> str:
    """A catalog word in the current language (an empty word stays empty: gettext's "" is its header)."""
    return _(word) if word else word


def terms(words: Iterable[str]) -> list[str]:
    return [term(w) for w in words]
