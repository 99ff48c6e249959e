"""Web API clients for work done outside a request (the worker, the digest).

Single-workspace mode has one bot token; in multi-workspace (OAuth) mode each
workspace's bot token comes from its stored installation. Either way every
client goes through ``SLACK_API_URL`` with the same retry handlers as the app's.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from bot.config import Settings


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client on ``SLACK_API_URL`` that waits out 429s and retries dropped connections."""
    return WebClient(
        token=token or settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)


class NotInstalled(LookupError):
    """No installation of the app is stored for this workspace."""


def client_factory(settings: Settings, engine: Engine) -> Callable[[str], WebClient]:
    """team id -> client with that workspace's bot token (cached per workspace)."""
    if not settings.multi_workspace:
        client = web_client(settings)
        return lambda _team: client
    store = installation_store(settings, engine)
    clients: dict[str, WebClient] = {}

    def for_team(team_id: str) -> WebClient:
        if team_id not in clients:
            bot = store.find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                raise NotInstalled(team_id)
            clients[team_id] = web_client(settings, bot.bot_token)
        return clients[team_id]

    return for_team
