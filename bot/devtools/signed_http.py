"""Send real, signed HTTP requests to the bot, as Slack does, and serve the bot on loopback."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.signature import SignatureVerifier

from bot.devtools.slack_rules import ack_problems

SECRET = "test-signing-secret"


@dataclass
class Response:
    status_code: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def json(self) -> Any:
        return json.loads(self.text)


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return Response(
                reply.status, reply.read().decode(), {k.lower(): v for k, v in reply.headers.items()}
            )
    except urllib.error.HTTPError as err:
        return Response(err.code, err.read().decode(), {k.lower(): v for k, v in err.headers.items()})


#: How often the server loop looks up to see whether it should stop (socketserver's default: 0.5 s).
POLL = 0.02


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request: Any, client_address: Any) -> None:
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class BotServer:
    """The bot's real WSGI app on a loopback port, in a background thread."""

    def __init__(self, application: Any) -> None:
        self.server = make_server(
            "127.0.0.1", 0, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL,), daemon=True)

    def __enter__(self) -> BotServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def post_signed(
        self,
        body: str,
        content_type: str,
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> Response:
        headers = signed_headers(body, content_type, secret=secret, timestamp=timestamp, signature=signature)
        reply = http("POST", self.url + "/slack/events", body.encode(), headers)
        if reply.status_code == 200 and reply.headers.get("content-type", "").startswith("application/json"):
            problems = ack_problems(reply.json())  # what Slack would refuse to show
            if problems:
                raise AssertionError("the app answered Slack with:\n" + "\n".join(problems))
        return reply

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return http("GET", self.url + path, headers=headers)

    def command(
        self, text: str, user: str = "U1", team: str = "T1", response_url: str = "", **kw: Any
    ) -> Response:
        return self.post_signed(command_body(text, user, team, response_url), FORM, **kw)

    def interaction(self, payload: dict[str, Any], **kw: Any) -> Response:
        return self.post_signed(interaction_body(payload), FORM, **kw)

    def event(self, event: dict[str, Any], team: str = "T1") -> Response:
        body = {
            "type": "event_callback",
            "team_id": team,
            "api_app_id": "A1",
            "event": event,
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
        }
        return self.post_signed(json.dumps(body), "application/json")


def _interaction(kind: str, user: str, team: str) -> dict[str, Any]:
    """What every interaction payload carries: who, in which workspace, and a trigger id."""
    return {
        "type": kind,
        "team": {"id": team},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A1",
        "trigger_id": f"trig-{kind}",
    }


def view_submission(
    values: dict[str, Any],
    user: str = "U1",
    team: str = "T1",
    callback_id: str = "profile_modal",
    **view: Any,
) -> dict[str, Any]:
    """A view_submission for the modal ``callback_id``; ``view`` adds fields (private_metadata...)."""
    return {
        **_interaction("view_submission", user, team),
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": callback_id,
            "state": {"values": values},
            **view,
        },
    }


def button_press(
    action_id: str, value: str = "", user: str = "U1", team: str = "T1", response_url: str = ""
) -> dict[str, Any]:
    """A block_actions payload: ``user`` pressed the button ``action_id`` carrying ``value``."""
    action = {"action_id": action_id, "block_id": "b", "type": "button", "action_ts": "1"}
    if value:
        action["value"] = value
    return {
        **_interaction("block_actions", user, team),
        "response_url": response_url,
        "container": {"type": "message"},
        "actions": [action],
    }


FORM = "application/x-www-form-urlencoded"


def command_body(text: str, user: str = "U1", team: str = "T1", response_url: str = "") -> str:
    """A ``/mentor`` slash command as Slack posts it (form-encoded)."""
    return urlencode(
        {
            "command": "/mentor",
            "text": text,
            "user_id": user,
            "team_id": team,
            "trigger_id": "trig-1",
            "response_url": response_url,
            "channel_id": "C1",
            "user_name": user.lower(),
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    """A block action or view submission as Slack posts it: JSON in a ``payload`` form field."""
    return urlencode({"payload": json.dumps(payload)})


def signed_headers(
    body: str,
    content_type: str,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
) -> dict[str, str]:
    """Slack's signing headers for ``body``; ``signature=""`` leaves the signature out."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = (
        signature
        if signature is not None
        else SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    )
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts}
    if sig:
        headers["X-Slack-Signature"] = sig
    return headers
