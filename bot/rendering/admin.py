"""What admins see in Slack: a round's result or preview."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.domain import RoundOutcome
from bot.rendering.blocks import Block, context, divider, escape, header, message, section
from bot.rendering.help import plain_reply
from bot.rendering.terms import reason_text

MESSAGE_BLOCKS = 50
#: Pairs shown one per block; the rest are counted (a message holds at most 50 blocks).
PAIRS_SHOWN = 20
ADMIN_USAGE = (
    "Admin commands: `/mentor admin run` (this period's round, now), "
    "`/mentor admin run --dry-run` (a preview: nothing stored or sent), "
    "`/mentor admin settings` (when and how the program runs), `/mentor admin report [weeks] [--comments]`, "
    "`/mentor admin export [--comments]` (CSV), `/mentor admin add @someone`; for a round held for "
    "review: `/mentor admin swap 2 5`, `/mentor admin remove 3`, `/mentor admin publish`."
)


def redirected(payload: dict[str, Any], kind: str, channel: str, error: str) -> dict[str, Any]:
    """A message meant for the admin channel, sent to an admin by DM because the channel failed."""
    late = " The review time counts from now, not from the time below." if kind == "review" else ""
    note = context(
        f":warning: I couldn't post this in <#{channel}> (`{escape(error)}`), so it comes to you.{late} "
        "Invite me to that channel, or pick another one in `/mentor admin settings`."
    )
    blocks = list(payload.get("blocks") or [section(str(payload.get("text") or ""))])
    return {**payload, "blocks": [note, *blocks][:MESSAGE_BLOCKS]}


def chart_not_shared(channel: str | None, error: str) -> dict[str, Any]:
    """Why the report's chart didn't arrive, and what to do about it."""
    where = f"<#{channel}>" if channel else "your DMs"
    if error in ("not_in_channel", "channel_not_found"):
        fix = "Invite me to that channel, or pick another admin channel in `/mentor admin settings`."
    elif error == "is_archived":
        fix = "That channel is archived: pick another admin channel in `/mentor admin settings`."
    else:
        fix = "The figures above are complete; `mentorbot report --png` writes the chart too."
    return plain_reply(f"I couldn't share the chart in {where} (Slack said `{escape(error)}`). {fix}")


def round_report(outcome: RoundOutcome, dry_run: bool) -> dict[str, Any]:
    if not dry_run and not outcome.created:
        text = f"The round for {outcome.period} has already run; the next one starts next period."
        return message([section(text)], text)
    title = f"Preview of the {outcome.period} round" if dry_run else f"Round {outcome.period} is done"
    blocks: list[Block] = [
        header(title),
        section(
            f"*{len(outcome.pairs)}* new pairs, *{len(outcome.unmatched)}* without a mentor"
            + (f", {outcome.ended} pairings finished their term" if outcome.ended else "")
            + "."
        ),
    ]
    for p in outcome.pairs[:PAIRS_SHOWN]:
        why = "\n".join(f"• {escape(reason_text(r))}" for r in p.reasons)
        blocks.append(section(f"*<@{p.mentor_id}> → <@{p.mentee_id}>* (score {p.score:.2f})\n{why}"))
    if len(outcome.pairs) > PAIRS_SHOWN:
        blocks.append(context(f"…and {len(outcome.pairs) - PAIRS_SHOWN} more pairs."))
    if outcome.unmatched:
        reasons = Counter(outcome.unmatched.values())
        lines = [f"• {n} × {escape(reason_text(r))}" for r, n in reasons.most_common(8)]
        if len(reasons) > 8:
            lines.append(f"…and {len(reasons) - 8} other reasons.")
        blocks += [divider(), section("*Without a mentor, and why*\n" + "\n".join(lines))]
    done = "Introductions are on their way."
    if outcome.pending:
        done = "Held for review: nothing is sent until an admin publishes it (see the admin channel)."
    blocks.append(context("Nothing was stored or sent." if dry_run else done))
    return message(blocks, title)
