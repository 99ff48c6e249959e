"""Slack's rules, as the tests' fake Slack applies them: scopes per method, Block Kit and its limits.

Everything here is taken from Slack's documentation (method pages for scopes; the Block Kit
reference for limits) and from ``slack_sdk.models``, which validates blocks and views itself.
A payload that breaks a rule is what real Slack would refuse (``invalid_blocks``,
``invalid_arguments``) or show wrongly (unescaped mrkdwn), so the fake refuses it too and
the test that caused it fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

#: Bot-token scopes each Web API method needs; a tuple means any one of them will do.
#: ``conversations.history`` depends on the kind of conversation (:func:`history_scope`), and
#: ``conversations.open`` on how many people it opens (one: ``im:write``, more: ``mpim:write``).
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.delete": ("chat:write",),
    "conversations.join": ("channels:join",),
    "users.info": ("users:read",),
    "users.list": ("users:read",),
    "users.lookupByEmail": ("users:read.email",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}
#: Methods that need no scope (views are answered to an interaction; the others are not bot calls).
NO_SCOPE = frozenset(
    {
        "auth.test",
        "views.open",
        "views.publish",
        "views.update",
        "views.push",
        "oauth.v2.access",
        "openid.connect.token",
        "openid.connect.userInfo",
    }
)


def history_scope(kind: str) -> str:
    """The scope ``conversations.history`` needs for a conversation of this kind."""
    return {"im": "im:history", "mpim": "mpim:history", "private": "groups:history"}.get(
        kind, "channels:history"
    )


def needed_scopes(method: str, params: dict[str, Any], kind: str) -> tuple[str, ...] | None:
    """Any one of these scopes lets the call through; None for a method Slack doesn't serve here."""
    if method in NO_SCOPE:
        return ()
    if method == "conversations.open":
        users = [u for u in str(params.get("users", "")).split(",") if u]
        return ("im:write",) if len(users) <= 1 else ("mpim:write",)
    if method in ("conversations.history", "conversations.replies"):
        return (history_scope(kind),)
    if method == "conversations.info":
        return ({"im": "im:read", "mpim": "mpim:read", "private": "groups:read"}.get(kind, "channels:read"),)
    return METHOD_SCOPES.get(method)


# -- Block Kit -------------------------------------------------------------------------------------

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
VIEW_TITLE = 24  # title, submit and close of a modal
PRIVATE_METADATA = 3000
SECTION_TEXT, HEADER_TEXT, FIELD_TEXT = 3000, 150, 2000
BUTTON_TEXT, OPTION_TEXT, OPTION_VALUE = 75, 75, 150
OPTIONS, IDS = 100, 255
#: Slack's own markup inside mrkdwn: mentions, channels, special mentions, dates, links.
TOKEN = re.compile(
    r"<(?:@[A-Za-z0-9]+(?:\|[^<>]*)?|#C[A-Z0-9]+(?:\|[^<>]*)?|!(?:here|channel|everyone)"
    r"|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?|!date\^\d+\^[^<>|]+(?:\^[^<>|]+)?\|[^<>]*"
    r"|(?:https?://|mailto:)[^<>|\s]+(?:\|[^<>]*)?)>"
)
ENTITY = re.compile(r"&(?:amp|lt|gt);")
QUOTE = re.compile(r"(?m)^>")  # a block quote: the one place a bare ">" is markup


def mrkdwn_problems(text: str) -> list[str]:
    """What in ``text`` Slack would read as markup it isn't (an unescaped ``&``, ``<`` or ``>``)."""
    rest = QUOTE.sub("", ENTITY.sub("", TOKEN.sub("", text)))
    return [f"unescaped {c!r} in mrkdwn: {text[:120]!r}" for c in "&<>" if c in rest]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    groups = element.get("option_groups") or []
    return list(element.get("options") or []) + [o for g in groups for o in g.get("options") or []]


def _element_problems(node: dict[str, Any]) -> list[str]:
    problems = []
    kind = node.get("type")
    if kind == "mrkdwn":
        problems += mrkdwn_problems(str(node.get("text", "")))
    for key in ("action_id", "block_id", "callback_id"):
        if len(str(node.get(key, ""))) > IDS:
            problems.append(f"{key} longer than {IDS} characters")
    if kind == "button" and len(node["text"]["text"]) > BUTTON_TEXT:
        problems.append(f"button text over {BUTTON_TEXT} characters: {node['text']['text'][:40]!r}")
    if kind == "header" and len(node["text"]["text"]) > HEADER_TEXT:
        problems.append(f"header over {HEADER_TEXT} characters")
    if kind == "section":
        if len(node.get("text", {}).get("text", "")) > SECTION_TEXT:
            problems.append(f"section text over {SECTION_TEXT} characters")
        long_fields = [f for f in node.get("fields") or [] if len(f["text"]) > FIELD_TEXT]
        problems += [f"section field over {FIELD_TEXT} characters" for _ in long_fields]
    if kind in ("static_select", "multi_static_select", "radio_buttons", "checkboxes", "overflow"):
        options = _options(node)
        if len(node.get("options") or []) > OPTIONS or len(node.get("option_groups") or []) > OPTIONS:
            problems.append(f"{kind} with more than {OPTIONS} options (or groups)")
        for group in node.get("option_groups") or []:
            if len(group.get("options") or []) > OPTIONS:
                problems.append(f"an option group with more than {OPTIONS} options")
        values = {o.get("value") for o in options}
        chosen = node.get("initial_options") or [node[k] for k in ("initial_option",) if node.get(k)]
        stray = [o.get("value") for o in chosen if o.get("value") not in values]
        problems += [f"initial option {v!r} is not among the options" for v in stray]
    is_option = kind is None and "value" in node and isinstance(node.get("text"), dict)
    if is_option:
        if len(node["text"].get("text", "")) > OPTION_TEXT:
            problems.append(f"option text over {OPTION_TEXT} characters: {node['text']['text'][:40]!r}")
        if len(str(node["value"])) > OPTION_VALUE:
            problems.append(f"option value over {OPTION_VALUE} characters")
    return problems


def _blocks_problems(blocks: list[Any], most: int) -> list[str]:
    problems = [f"{len(blocks)} blocks, more than {most}"] if len(blocks) > most else []
    for raw in blocks:
        block = Block.parse(raw) if isinstance(raw, dict) else None
        if block is None:
            problems.append(f"not a block Slack knows: {str(raw)[:80]}")
            continue
        try:
            block.validate_json()
        except SlackObjectFormationError as exc:
            problems.append(f"{raw.get('type')} block: {exc}")
    for node in _walk(blocks):
        problems += _element_problems(node)
    return problems + _repeated_ids(blocks)


def _repeated_ids(blocks: list[Any]) -> list[str]:
    """Slack answers ``invalid_blocks`` when a block_id repeats in one message or view, or an
    action_id repeats inside one block."""
    block_ids = [b["block_id"] for b in blocks if isinstance(b, dict) and b.get("block_id")]
    problems = [
        f"block_id {i!r} used twice" for i in sorted({i for i in block_ids if block_ids.count(i) > 1})
    ]
    for block in blocks:
        if not isinstance(block, dict):
            continue
        action_ids = [n["action_id"] for n in _walk(block) if n.get("action_id")]
        repeated = sorted({i for i in action_ids if action_ids.count(i) > 1})
        problems += [f"action_id {i!r} used twice in one {block.get('type')} block" for i in repeated]
    return problems


def message_problems(payload: dict[str, Any]) -> list[str]:
    """A message (chat.postMessage and friends, a response_url post, an ephemeral ack)."""
    blocks = payload.get("blocks")
    if isinstance(blocks, str):  # form-encoded calls send blocks as JSON text
        return ["blocks sent as text the fake could not read"]
    text = payload.get("text")
    problems = []
    if blocks and not text:
        problems.append("blocks without a text fallback (notifications and screen readers show that)")
    if not blocks and not text:
        problems.append("a message with neither text nor blocks")
    if text:
        problems += mrkdwn_problems(str(text))
    return problems + _blocks_problems(list(blocks or []), MESSAGE_BLOCKS)


def view_problems(view: dict[str, Any]) -> list[str]:
    """A modal or Home tab (views.open / publish / update / push, or a ``response_action`` view)."""
    problems = []
    for key in ("title", "submit", "close"):
        if key in view and len(view[key].get("text", "")) > VIEW_TITLE:
            problems.append(f"modal {key} over {VIEW_TITLE} characters: {view[key]['text']!r}")
    if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
        problems.append(f"private_metadata over {PRIVATE_METADATA} characters")
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError) as exc:
        problems.append(f"view: {exc}")
    return problems + _blocks_problems(list(view.get("blocks") or []), VIEW_BLOCKS)


def ack_problems(body: dict[str, Any]) -> list[str]:
    """What the app answered Slack in the HTTP response to an interaction or command."""
    if body.get("response_action") in ("update", "push"):
        return view_problems(body.get("view") or {})
    if body.get("response_action") == "errors":
        errors = body.get("errors") or {}
        return [f"modal error for {k!r} is not text" for k, v in errors.items() if not isinstance(v, str)]
    if "blocks" in body or "text" in body:
        return message_problems(body)
    return []
