"""Settings, read from the environment only (secrets never come from files or flags).

Each field is named after its environment variable (``slack_bot_token`` is
``SLACK_BOT_TOKEN``) and read by pydantic-settings, which parses and checks it. A missing
required setting or a malformed one stops start-up with one line that names it; secrets
are kept out of ``repr`` so they cannot end up in a log line by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed; the message names it."""


class Settings(BaseModel):
    """The app's settings. Built directly (tests, the demo) it holds exactly what it is given;
    :meth:`from_env` reads the process environment."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    database_url: str = ""  # unset: a SQLite file in the working directory
    slack_api_url: str = SLACK_API_DEFAULT
    port: int = Field(3000, ge=1, le=65535)
    outbox_lease_seconds: int = Field(120, ge=1)
    slack_rate_scale: float = Field(1.0, gt=0)
    slack_bot_token: str = Field("", repr=False)
    slack_signing_secret: str = Field("", repr=False)
    slack_app_token: str = Field("", repr=False)
    slack_client_id: str = ""
    slack_client_secret: str = Field("", repr=False)
    slack_openid_authorize_url: str = "https://slack.com/openid/connect/authorize"

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return database_url(value)

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value or SLACK_API_DEFAULT
        return value if value.endswith("/") else value + "/"

    @property
    def multi_workspace(self) -> bool:
        """OAuth distribution: installations in the database instead of one bot token. With a bot
        token set, the client id and secret serve the dashboard's sign-in only."""
        return bool(self.slack_client_id and self.slack_client_secret and not self.slack_bot_token)

    @property
    def sign_in(self) -> bool:
        """Sign in with Slack (the admin dashboard) is configured."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def required_for_serving(self) -> tuple[str, ...]:
        """Settings the web process cannot start without, in this mode."""
        return ("SLACK_SIGNING_SECRET", *self.required_for_worker())

    def required_for_worker(self) -> tuple[str, ...]:
        """Settings the worker cannot start without: a token, or where to find each workspace's."""
        return ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET") if self.multi_workspace else ("SLACK_BOT_TOKEN",)

    @classmethod
    def from_env(cls, *, need: tuple[str, ...] = ()) -> Settings:
        """Read settings from the environment; ``need`` lists variables that must be set.

        ``DATABASE_URL`` may use Heroku's ``postgres://`` spelling; it is turned into
        SQLAlchemy's psycopg 3 URL.
        """
        try:
            settings: Settings = _FromEnvironment()
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]).upper() if error["loc"] else "a setting"
            raise ConfigError(f"{name} is not valid ({error['msg']}): {error.get('input')!r}") from None
        for name in need:
            if not getattr(settings, name.lower()):
                raise ConfigError(f"{name} is not set (see .env.example for what it should hold)")
        return settings


class _FromEnvironment(BaseSettings, Settings):
    """:class:`Settings` whose fields default to the environment variables of the same name."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")


def database_url(raw: str) -> str:
    """SQLAlchemy URL for ``DATABASE_URL``; unset means a SQLite file in the working directory."""
    raw = raw.strip()
    if not raw:
        return f"sqlite:///{Path('mentorbot.db').resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw
