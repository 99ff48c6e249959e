"""Settings come from the environment; a missing or malformed one is named in one line."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings

NAMES = (
    "DATABASE_URL",
    "SLACK_API_URL",
    "PORT",
    "OUTBOX_LEASE_SECONDS",
    "SLACK_RATE_SCALE",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_OPENID_AUTHORIZE_URL",
)


@pytest.fixture
def env(monkeypatch):
    """A clean environment to set variables in."""
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_missing_required_setting_is_named(env):
    env.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    env.setenv("SLACK_SIGNING_SECRET", "   ")  # blank counts as missing
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET is not set"):
        Settings.from_env(need=("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"))


def test_defaults_and_urls(env):
    defaults = Settings.from_env()
    assert defaults.database_url.startswith("sqlite:///")
    assert defaults.slack_api_url == "https://slack.com/api/"
    assert (defaults.port, defaults.outbox_lease_seconds, defaults.multi_workspace) == (3000, 120, False)
    env.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    env.setenv("DATABASE_URL", "postgres://u@h/db")
    env.setenv("PORT", "8080")
    env.setenv("SLACK_CLIENT_ID", " CID ")
    env.setenv("SLACK_CLIENT_SECRET", "shh")
    s = Settings.from_env()
    assert s.slack_api_url == "http://127.0.0.1:9/api/"
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert (s.port, s.slack_client_id, s.multi_workspace) == (8080, "CID", True)
    assert s.required_for_worker() == ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
    env.setenv("SLACK_BOT_TOKEN", "xoxb-1")  # one workspace: the client id and secret sign admins in
    single = Settings.from_env()
    assert (single.multi_workspace, single.sign_in) == (False, True)
    assert single.required_for_worker() == ("SLACK_BOT_TOKEN",)


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "eighty"), ("PORT", "0"), ("OUTBOX_LEASE_SECONDS", "0"), ("SLACK_RATE_SCALE", "fast")],
)
def test_a_malformed_setting_is_named(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ConfigError, match=rf"^{name} is not valid .*{value!r}"):
        Settings.from_env()


def test_settings_built_in_code_ignore_the_environment(env):
    """Tests and the demo build their settings; a developer's own SLACK_* can't switch their mode."""
    env.setenv("SLACK_CLIENT_ID", "CID")
    env.setenv("SLACK_CLIENT_SECRET", "shh")
    given = Settings(slack_bot_token="xoxb-demo")
    assert not given.multi_workspace and given.slack_client_id == ""
    assert Settings.from_env().multi_workspace


def test_secrets_stay_out_of_repr(env):
    env.setenv("SLACK_BOT_TOKEN", "xoxb-secret")
    env.setenv("SLACK_SIGNING_SECRET", "shh")
    env.setenv("SLACK_CLIENT_SECRET", "cs-secret")
    s = Settings.from_env()
    assert s.slack_bot_token == "xoxb-secret"
    assert not [
        secret for secret in ("xoxb-secret", "shh", "cs-secret") if secret in repr(s) or secret in str(s)
    ]
