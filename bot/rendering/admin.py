"""What admins see in Slack: a round's result or preview."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.domain import RoundOutcome
from bot.i18n import _
from bot.rendering.blocks import Block, context, divider, escape, header, message, section
from bot.rendering.help import plain_reply
from bot.rendering.terms import reason_text

MESSAGE_BLOCKS = 50
#: Pairs shown one per block; the rest are counted (a message holds at most 50 blocks).
PAIRS_SHOWN = 20


def admin_usage() -> str:
    return _(
        "Admin commands: `/mentor admin run` (this period's round, now), "
        "`/mentor admin run --dry-run` (a preview: nothing stored or sent), "
        "`/mentor admin settings` (when and how the program runs), "
        "`/mentor admin report [weeks] [--comments]`, `/mentor admin export [--comments]` (CSV), "
        "`/mentor admin add @someone`; for a round held for review: `/mentor admin swap 2 5`, "
        "`/mentor admin remove 3`, `/mentor admin publish`."
    )


def redirected(payload: dict[str, Any], kind: str, channel: str, error: str) -> dict[str, Any]:
    """A message meant for the admin channel, sent to an admin by DM because the channel failed."""
    note = _(
        "I couldn't post this in {channel} (`{error}`), so it comes to you. "
        "Invite me to that channel, or pick another one in `/mentor admin settings`."
    ).format(channel=f"<#{channel}>", error=escape(error))
    if kind == "review":
        note += " " + _("The review time counts from now, not from the time below.")
    blocks = list(payload.get("blocks") or [section(str(payload.get("text") or ""))])
    return {**payload, "blocks": [context(f":warning: {note}"), *blocks][:MESSAGE_BLOCKS]}


def chart_not_shared(channel: str | None, error: str) -> dict[str, Any]:
    """Why the report's chart didn't arrive, and what to do about it."""
    where = f"<#{channel}>" if channel else _("your DMs")
    if error in ("not_in_channel", "channel_not_found"):
        fix = _("Invite me to that channel, or pick another admin channel in `/mentor admin settings`.")
    elif error == "is_archived":
        fix = _("That channel is archived: pick another admin channel in `/mentor admin settings`.")
    else:
        fix = _("The figures above are complete; `mentorbot report --png` writes the chart too.")
    said = _("I couldn't share the chart in {where} (Slack said `{error}`).").format(
        where=where, error=escape(error)
    )
    return plain_reply(f"{said} {fix}")


def round_report(outcome: RoundOutcome, dry_run: bool) -> dict[str, Any]:
    if not dry_run and not outcome.created:
        text = _("The round for {period} has already run; the next one starts next period.").format(
            period=outcome.period
        )
        return message([section(text)], text)
    title = (_("Preview of the {period} round") if dry_run else _("Round {period} is done")).format(
        period=outcome.period
    )
    summary = _("*{pairs}* new pairs, *{left}* without a mentor").format(
        pairs=len(outcome.pairs), left=len(outcome.unmatched)
    )
    if outcome.ended:
        summary += _(", {count} pairings finished their term").format(count=outcome.ended)
    blocks: list[Block] = [header(title), section(summary + ".")]
    for p in outcome.pairs[:PAIRS_SHOWN]:
        why = "\n".join(f"• {escape(reason_text(r))}" for r in p.reasons)
        score = _("(score {score:.2f})").format(score=p.score)
        blocks.append(section(f"*<@{p.mentor_id}> → <@{p.mentee_id}>* {score}\n{why}"))
    if len(outcome.pairs) > PAIRS_SHOWN:
        blocks.append(context(_("…and {count} more pairs.").format(count=len(outcome.pairs) - PAIRS_SHOWN)))
    if outcome.unmatched:
        reasons = Counter(outcome.unmatched.values())
        lines = [f"• {n} × {escape(reason_text(r))}" for r, n in reasons.most_common(8)]
        if len(reasons) > 8:
            lines.append(_("…and {count} other reasons.").format(count=len(reasons) - 8))
        blocks += [divider(), section(_("*Without a mentor, and why*") + "\n" + "\n".join(lines))]
    done = _("Introductions are on their way.")
    if outcome.pending:
        done = _("Held for review: nothing is sent until an admin publishes it (see the admin channel).")
    blocks.append(context(_("Nothing was stored or sent.") if dry_run else done))
    return message(blocks, title)
