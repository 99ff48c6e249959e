"""Multi-workspace mode: install through OAuth, then each workspace is served with its own token."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.devtools.fake_slack import FakeSlack
from bot.devtools.signed_http import SECRET, BotServer
from bot.slack_clients import NotInstalled, client_factory
from bot.web import wsgi_app


def test_install_then_serve_each_workspace_with_its_token(engine):
    with FakeSlack() as slack:
        settings = Settings(
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
            slack_client_id="CID",
            slack_client_secret="CSECRET",
        )
        assert settings.multi_workspace
        with BotServer(wsgi_app(build_app(settings, engine), engine)) as bot:
            page = bot.get("/slack/install")
            assert page.status_code == 200
            link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text).group(1)
            query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
            assert query["client_id"] == ["CID"] and "commands" in query["scope"][0]
            state = query["state"][0]
            cookie = page.headers["set-cookie"].split(";")[0]

            done = bot.get(f"/slack/oauth_redirect?code=code-T9&state={state}", headers={"Cookie": cookie})
            assert done.status_code == 200, done.text
            assert slack.of("oauth.v2.access")

            assert "/mentor profile" in bot.command("help", team="T9").json()["text"]
            slack.add_user("U1", "Ana", team_id="T9")
            bot.command("profile", team="T9")
            (opened,) = slack.wait_for("views.open")
            assert opened.token == "xoxb-T9"

            replay = bot.get(f"/slack/oauth_redirect?code=code-T9&state={state}", headers={"Cookie": cookie})
            assert replay.status_code == 401  # Bolt's answer to a state already used: a state is good once
            assert len(slack.of("oauth.v2.access")) == 1  # and the code was not exchanged again

        worker_client = client_factory(settings, engine)
        assert worker_client("T9").token == "xoxb-T9"
        with pytest.raises(NotInstalled):
            worker_client("TNOPE")
