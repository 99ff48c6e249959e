"""The app manifest: the committed file is the generator's, URLs are filled, scopes are the used ones."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.devtools import slack_rules
from bot.install.manifest import PLACEHOLDER, SCOPES, manifest_yaml

ROOT = Path(__file__).resolve().parents[3]


def test_committed_manifest_is_up_to_date():
    assert (ROOT / "manifest.yml").read_text() == manifest_yaml(PLACEHOLDER)


def test_manifest_command_fills_in_every_url():
    out = CliRunner().invoke(app, ["manifest", "--url", "https://mentors.example.org/"])
    assert out.exit_code == 0
    doc = yaml.safe_load(out.stdout)
    urls = [
        doc["features"]["slash_commands"][0]["url"],
        doc["settings"]["event_subscriptions"]["request_url"],
        doc["settings"]["interactivity"]["request_url"],
    ]
    assert urls == ["https://mentors.example.org/slack/events"] * 3
    assert doc["oauth_config"]["redirect_urls"] == [
        "https://mentors.example.org/slack/oauth_redirect",  # installs
        "https://mentors.example.org/admin/auth/callback",  # admins signing in to the dashboard
    ]
    assert doc["oauth_config"]["scopes"]["bot"] == SCOPES
    assert doc["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert PLACEHOLDER not in out.stdout


def test_manifest_refuses_plain_http():
    out = CliRunner().invoke(app, ["manifest", "--url", "http://insecure.example.org"])
    assert out.exit_code == 2 and "https://" in out.output


#: slack_sdk's name of a Web API call in the bot's source -> the Web API methods it makes.
SDK_CALL = re.compile(r"\.((?:chat|conversations|users|views|files|auth|openid)_[A-Za-z0-9_]+)\(")
COMPOSITE = {"files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal")}


def methods_the_bot_calls() -> set[str]:
    source = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py") if "devtools" not in p.parts)
    called = set(SDK_CALL.findall(source))
    return {m for call in called for m in COMPOSITE.get(call, (call.replace("_", "."),))}


def test_the_manifest_grants_every_scope_the_bot_needs_and_no_other():
    """Slack's per-method scopes (the fake Slack enforces the same table) against the manifest."""
    needed: set[str] = set()
    for method in methods_the_bot_calls():
        # DMs, group DMs and the admin channel; conversations.info is asked of a private channel only
        kinds = ("private",) if method == "conversations.info" else ("im", "mpim", "public", "private")
        people = ({"users": "U1"}, {"users": "U1,U2"})  # conversations.open: a DM or a group DM
        options = {slack_rules.needed_scopes(method, p, k) for k in kinds for p in people}
        assert None not in options, f"{method}: the fake Slack doesn't know its scopes"
        for scopes in options:
            assert not scopes or set(scopes) & set(SCOPES), f"{method} needs one of {scopes}"
            needed |= set(scopes) & set(SCOPES)
    assert set(SCOPES) - {"commands"} == needed, "a granted scope no call needs: drop it"
