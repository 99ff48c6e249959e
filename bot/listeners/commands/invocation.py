"""One ``/mentor`` command as its subcommand sees it: who, where, what they typed, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.listeners.common import Deps


@dataclass(frozen=True, slots=True)
class Invocation:
    ack: Ack
    respond: Respond
    client: WebClient
    deps: Deps
    team_id: str
    user_id: str
    args: str
    trigger_id: str
    now: datetime
