"""Small constructors for the Block Kit elements the bot uses, with Slack's limits applied.

Text in ``mrkdwn`` is markup: anything a member wrote (a name, a team, a goal, a comment,
what they typed after a command) goes through :func:`escape` before it is put in one, so it
shows as written and can never become a mention, a channel link or a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.i18n import _

Block = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75


def escape(value: object) -> str:
    """``value`` as literal text inside mrkdwn (Slack's rule: ``&``, ``<`` and ``>`` as entities)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escaped(values: Sequence[object], sep: str | None = None) -> str:
    """The values escaped and listed (by default with the current language's list separator)."""
    # Translators: the separator in a list of words, before the last "and" / "or".
    return (_(", ") if sep is None else sep).join(escape(v) for v in values)


def listed(lines: Sequence[str], limit: int, more: str = "") -> list[str]:
    """The first ``limit`` lines, and a last one saying how many were left out (``more``: its
    words, translated, with a ``{count}`` placeholder)."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], (more or _("…and {count} more")).format(count=len(lines) - limit)]


#: A cut must not leave half an entity (``&am``) or half a Slack token (``<@U12``) behind.
_TORN = re.compile(r"(&[a-z]*|<[^>]*)$")


def _fit(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters at a line break where possible, saying what was cut."""
    if len(value) <= limit:
        return value
    lines = value.split("\n")
    kept: list[str] = []
    for k, line in enumerate(lines):
        note = "\n" + _("…and {count} more lines (cut to fit Slack's limit).").format(count=len(lines) - k)
        if len("\n".join([*kept, line])) + len(note) > limit:
            if kept:
                return "\n".join(kept) + note
            break
        kept.append(line)
    note = _("… (cut to fit Slack's limit)")
    return _TORN.sub("", value[: limit - len(note)]) + note


def clip(value: str, limit: int) -> str:
    """Plain text cut to ``limit`` characters, with an ellipsis where it was cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text(value: str, kind: str = "mrkdwn") -> dict[str, Any]:
    return {"type": kind, "text": value}


def plain(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value, "emoji": True}


def section(value: str, **extra: Any) -> Block:
    return {"type": "section", "text": text(_fit(value, SECTION_TEXT_LIMIT)), **extra}


def header(value: str) -> Block:
    return {"type": "header", "text": plain(clip(value, 150))}


def context(value: str) -> Block:
    return {"type": "context", "elements": [text(value)]}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(clip(label, BUTTON_TEXT_LIMIT)),
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def input_block(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> Block:
    """A modal input; its element's ``action_id`` is always "value", which the parsers read."""
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }


def select_input(
    block_id: str,
    label: str,
    options: list[dict[str, Any]],
    initial: str | None = None,
    optional: bool = False,
) -> Block:
    """A single-choice input, pre-selecting the option whose value is ``initial``."""
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return input_block(block_id, label, element, optional)


def modal(
    title: str, blocks: list[Block], callback_id: str = "", submit: str = "", metadata: str = ""
) -> dict[str, Any]:
    """A modal view: ``submit`` labels its submit button (none: it only closes, with "Done");
    ``metadata`` comes back with the submission as ``private_metadata``."""
    view: dict[str, Any] = {"type": "modal", "title": plain(title), "blocks": blocks}
    if callback_id:
        view["callback_id"] = callback_id
    if submit:
        view.update(submit=plain(submit), close=plain(_("Cancel")))
    else:
        view["close"] = plain(_("Done"))
    if metadata:
        view["private_metadata"] = metadata
    return view


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(clip(label, 75)), "value": value}


def slack_date(moment: datetime) -> str:
    """A date each reader sees in their own time zone (Slack's date formatting)."""
    shown = _("{date} at {time}").format(date="{date_short_pretty}", time="{time}")
    return f"<!date^{int(moment.timestamp())}^{shown}|{moment:%Y-%m-%d %H:%M} UTC>"


def slack_day(moment: datetime) -> str:
    """A day each reader sees in their own time zone and language."""
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment:%Y-%m-%d}>"


def message(blocks: list[Block], fallback: str) -> dict[str, Any]:
    """A message payload: blocks plus the plain-text fallback notifications show."""
    return {"blocks": blocks, "text": fallback}
