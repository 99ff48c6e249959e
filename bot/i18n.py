"""The language a message is written in, and its translations.

Texts are English ``gettext`` message ids, marked with :func:`_` (or :func:`ngettext` when
a number decides the form, or :data:`N_` where a constant is translated later, when it is
used). Translations live in gettext catalogs under ``bot/locale/<language>/LC_MESSAGES/``,
kept with Babel (``pybabel extract`` / ``update`` / ``compile``: ``.ci/catalogs``).

The language is chosen where a message is written for someone: an entry point speaks the
language of the member it answers (:func:`speak`, in a middleware), and each notice is
rendered in its recipients' languages (``bot.notify``, with :func:`speaking`). Anything not
in a catalog reads in English.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "mentorbot"
ENGLISH = "en"
#: The languages with complete catalogs, each named in itself (as a language picker shows them).
LANGUAGES = {ENGLISH: "English", "zh_CN": "简体中文"}

_current: ContextVar[str] = ContextVar("language", default=ENGLISH)


def language_of(slack_locale: str | None) -> str:
    """The catalog language for a Slack locale (``zh-CN``, ``en-GB``…); English for any other."""
    code = (slack_locale or "").replace("-", "_")
    return code if code in LANGUAGES else ENGLISH


def member_language(chosen: str, slack_locale: str) -> str:
    """A member's language: the one they chose in their profile, else their Slack locale's."""
    return chosen if chosen in LANGUAGES else language_of(slack_locale)


def current() -> str:
    """The language being written in right now."""
    return _current.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Write in ``language`` (a key of :data:`LANGUAGES`) inside the block."""
    token = _current.set(_known(language))
    try:
        yield
    finally:
        _current.reset(token)


def speak(language: str) -> None:
    """Write in ``language`` from here on, in this context (an entry point's request)."""
    _current.set(_known(language))


def _known(language: str) -> str:
    return language if language in LANGUAGES else ENGLISH


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` things, in the current language."""
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it: :func:`_` does, where it is shown."""
    return message


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for ``language``, compiled from its ``.po`` file once per process."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    po = resources.files(__package__).joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
