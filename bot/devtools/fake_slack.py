"""A stand-in for Slack's Web API: real HTTP on loopback, reached through ``SLACK_API_URL``.

It records every call, answers like Slack for the methods the bot uses, and can be
told to fail the next calls of a method (for example 429 with Retry-After). It also
serves ``/respond/...`` URLs, which the tests put in payloads as ``response_url``.

It holds the app to Slack's rules (``slack_rules``): a call without the scope its method
needs answers ``missing_scope`` (the token has the scopes the app's manifest grants), and a
message or view that breaks Block Kit or its limits is refused as Slack would refuse it,
and remembered: leaving the ``with`` block then fails the test that sent it.
"""

from __future__ import annotations

import base64
import json
import math
import random
import secrets
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.devtools import slack_rules
from bot.devtools.signed_http import POLL
from bot.install.manifest import SCOPES


@dataclass
class Flaky:
    """How an unreliable Slack answers one method: some calls 429 (with ``retry_after``), some 5xx
    (half of them after the work was done), some slowly. Decided by a seeded random generator."""

    seed: int
    rate_limited: float = 0.0
    retry_after: int = 1
    server_errors: float = 0.0
    slow: float = 0.0
    delay: float = 0.0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


@dataclass
class Channel:
    """A channel the fake knows: public or private, whether the bot is in it, archived or not."""

    private: bool = False
    bot_member: bool = True
    archived: bool = False


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    token: str = ""


class FakeSlack:
    def __init__(self, scopes: tuple[str, ...] | list[str] | None = None) -> None:
        self.scopes = set(SCOPES if scopes is None else scopes)  # what the installed app was granted
        #: Channels by id. A "C…" id it doesn't know is a public channel the bot is in.
        self.channels: dict[str, Channel] = {}
        self.invalid: list[str] = []  # payloads refused for breaking Slack's rules
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.deactivated: set[str] = set()
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.delay: dict[str, float] = {}
        self.flaky: dict[str, Flaky] = {}  # method -> how it misbehaves (see ``Flaky``)
        #: method -> (calls per minute, burst): Slack's limits, enforced when set (see ``enforce``).
        self.limits: dict[str, tuple[float, int]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self.rejected: Counter[str] = Counter()
        self.uploads: dict[str, bytes] = {}  # file id -> bytes
        self.shared: list[dict[str, Any]] = []  # files.completeUploadExternal calls
        self._failures: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = defaultdict(list)
        #: Sign in with Slack: who the browser is signed in to Slack as (user, team), and the app's
        #: client id and secret that ``openid.connect.token`` accepts.
        self.signed_in: tuple[str, str] | None = None
        self.oidc_client = ("CID", "CSECRET")
        self._codes: dict[str, dict[str, str]] = {}  # authorization code -> who, nonce, redirect
        self._user_tokens: dict[str, dict[str, str]] = {}  # OIDC access token -> who
        self._lock = threading.Lock()
        self._ts = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the caller died mid-request: Slack never sees half a call
                    self.close_connection = True
                    return
                if self.path.startswith("/upload/"):  # step 2 of the upload flow: raw bytes
                    fake.uploads[self.path.removeprefix("/upload/")] = body
                    fake.calls.append(Call(self.path, {"length": len(body)}))
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = body.decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                    for key in ("view", "blocks", "metadata"):
                        if isinstance(params.get(key), str):
                            params[key] = json.loads(params[key])
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                status, headers, reply = fake.handle(self.path, {**params, "_token": token})
                data = json.dumps(reply).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                """Slack's authorize page, for Sign in with Slack: straight back with a code."""
                url = urlsplit(self.path)
                if url.path != "/openid/connect/authorize":
                    self.send_response(404)
                    self.end_headers()
                    return
                status, location, text = fake.authorize({k: v[0] for k, v in parse_qs(url.query).items()})
                body = text.encode()
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a caller that gave up (timed out, killed) closed its end: nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(POLL,), daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        if exc_type is None and self.invalid:
            raise AssertionError("payloads Slack would refuse:\n" + "\n".join(self.invalid))

    def kind(self, channel: str) -> str:
        """ "im", "mpim", "public" or "private", as Slack tells conversations apart."""
        if channel.startswith("D"):
            return "im"
        if channel.startswith("G"):
            return "mpim"
        return "private" if self.channels.get(channel, Channel()).private else "public"

    def _user(self, params: dict[str, Any]) -> dict[str, Any]:
        """A user's profile; like Slack, with their locale only when ``include_locale`` is asked."""
        user = dict(self.users[params["user"]])
        if str(params.get("include_locale", "")).lower() not in ("true", "1"):
            user.pop("locale", None)
        return user

    def add_user(
        self,
        user_id: str,
        name: str,
        tz: str = "Europe/London",
        team_id: str = "T1",
        admin: bool = False,
        locale: str = "en-US",
    ) -> None:
        self.users[user_id] = {
            "locale": locale,
            "is_admin": admin,
            "id": user_id,
            "team_id": team_id,
            "name": name.lower(),
            "real_name": name,
            "tz": tz,
            "profile": {
                "display_name": name,
                "real_name": name,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
            },
        }

    def fail_next(
        self,
        method: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        times: int = 1,
    ) -> None:
        with self._lock:
            self._failures[method] += [
                (status, headers or {}, body or {"ok": False, "error": "fatal_error"})
            ] * times

    def handle(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        method = path.removeprefix("/api/") if path.startswith("/api/") else path
        flaky = self.flaky.get(method)
        if flaky is None:
            reply = self._answer(method, params)
        else:
            with self._lock:
                roll, slow = flaky.rng.random(), flaky.rng.random() < flaky.slow
            if roll < flaky.rate_limited:
                self.rejected[method] += 1
                reply = 429, {"Retry-After": str(flaky.retry_after)}, {"ok": False, "error": "ratelimited"}
            elif roll < flaky.rate_limited + flaky.server_errors / 2:
                reply = 500, {}, {"ok": False, "error": "internal_error"}
            else:
                reply = self._answer(method, params)
                if roll < flaky.rate_limited + flaky.server_errors:  # done, but the answer is an error
                    reply = 503, {}, {"ok": False, "error": "service_unavailable"}
            if slow:
                time.sleep(flaky.delay)
        if self.delay.get(method):
            time.sleep(self.delay[method])  # after the work: a caller killed now leaves it done in "Slack"
        return reply

    @property
    def authorize_url(self) -> str:
        return self.url + "/openid/connect/authorize"

    def authorize(self, query: dict[str, str]) -> tuple[int, str, str]:
        """(status, redirect, page) for an authorize request, as Slack checks it."""
        self.calls.append(Call("/openid/connect/authorize", dict(query)))
        wanted = set(query.get("scope", "").split())
        if query.get("response_type") != "code" or "openid" not in wanted or not query.get("redirect_uri"):
            return 400, "", "invalid_request"
        if query.get("client_id") != self.oidc_client[0]:
            return 400, "", "invalid_client_id"
        if self.signed_in is None:
            return 200, "", "<p>Sign in to your Slack workspace first.</p>"
        code = secrets.token_urlsafe(12)
        user, team = self.signed_in
        with self._lock:
            self._codes[code] = {
                "user": user,
                "team": team,
                "nonce": query.get("nonce", ""),
                "redirect_uri": query["redirect_uri"],
            }
        back = urlencode({"code": code, "state": query.get("state", "")})
        return 302, f"{query['redirect_uri']}?{back}", ""

    def _openid_token(self, params: dict[str, Any], auth: str) -> dict[str, Any]:
        """``openid.connect.token``: client credentials (HTTP Basic, or in the form) and a fresh code."""
        client = (str(params.get("client_id", "")), str(params.get("client_secret", "")))
        if auth.startswith("Basic "):
            client = tuple(base64.b64decode(auth.removeprefix("Basic ")).decode().split(":", 1))  # type: ignore[assignment]
        if client != self.oidc_client:
            return {"ok": False, "error": "invalid_client_id"}
        with self._lock:
            grant = self._codes.pop(str(params.get("code", "")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        if grant["redirect_uri"] != params.get("redirect_uri"):
            return {"ok": False, "error": "bad_redirect_uri"}
        token = "xoxp-oidc-" + secrets.token_urlsafe(8)
        with self._lock:
            self._user_tokens[token] = grant
        claims = {
            "iss": "https://slack.com",
            "sub": grant["user"],
            "aud": client[0],
            "exp": int(time.time()) + 3600,
            "iat": int(time.time()),
            "nonce": grant["nonce"],
            "https://slack.com/user_id": grant["user"],
            "https://slack.com/team_id": grant["team"],
        }
        segments = [{"alg": "none", "typ": "JWT"}, claims]
        id_token = ".".join(
            base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=") for part in segments
        )
        return {"ok": True, "access_token": token, "token_type": "Bearer", "id_token": id_token + ".sig"}

    def _openid_user(self, token: str) -> dict[str, Any]:
        grant = self._user_tokens.get(token)
        if grant is None:
            return {"ok": False, "error": "invalid_auth"}
        profile = self.users.get(grant["user"], {})
        return {
            "ok": True,
            "sub": grant["user"],
            "https://slack.com/user_id": grant["user"],
            "https://slack.com/team_id": grant["team"],
            "name": profile.get("real_name") or profile.get("name") or grant["user"],
        }

    def enforce(self, limits: dict[str, tuple[float, int]], scale: float = 1.0) -> None:
        """Answer 429 to calls beyond each method's rate (per channel for chat.postMessage)."""
        self.limits = {m: (rate * scale, burst) for m, (rate, burst) in limits.items()}

    def _over_limit(self, method: str, params: dict[str, Any]) -> float:
        """0 if the call is within its limit (and counts it), else seconds until it would be."""
        if method not in self.limits:
            return 0.0
        per_minute, burst = self.limits[method]
        key = f"{method}:{params.get('channel')}" if method == "chat.postMessage" else method
        now = time.monotonic()
        tokens, at = self._buckets.get(key, (float(burst), now))
        tokens = min(float(burst), tokens + (now - at) * per_minute / 60.0)
        if tokens < 1.0 - 1e-6:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) * 60.0 / per_minute
        self._buckets[key] = (tokens - 1.0, now)
        return 0.0

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            wait = self._over_limit(method, params)
            if wait:
                self.rejected[method] += 1
                return 429, {"Retry-After": str(math.ceil(wait))}, {"ok": False, "error": "ratelimited"}
            token = str(params.pop("_token", "") or params.get("token", ""))
            self.calls.append(Call(method, params, token=token))
            if self._failures[method]:
                return self._failures[method].pop(0)
            refused = self._refusal(method, params)
            if refused:
                return 200, {}, refused
            # Like Slack's: the epoch time in microseconds, unique and increasing.
            self._ts = max(self._ts + 1, int(time.time() * 1_000_000))
            ts = f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"
        if method.startswith("/respond/"):
            return 200, {}, {"ok": True}
        if method == "openid.connect.token":
            return 200, {}, self._openid_token(params, token)
        if method == "openid.connect.userInfo":
            return 200, {}, self._openid_user(token)
        if method == "conversations.open":
            return 200, {}, self._open(params)
        if method == "chat.postMessage":
            return 200, {}, self._post(params, ts)
        if method == "oauth.v2.access":  # an install: the workspace is named by the code
            team = str(params.get("code", "")).removeprefix("code-")
            return (
                200,
                {},
                {
                    "ok": True,
                    "access_token": f"xoxb-{team}",
                    "token_type": "bot",
                    "scope": "commands,chat:write",
                    "bot_user_id": "UBOT",
                    "app_id": "A1",
                    "team": {"id": team, "name": f"Team {team}"},
                    "enterprise": None,
                    "is_enterprise_install": False,
                    "authed_user": {"id": "UINSTALLER"},
                },
            )
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + len(self.shared) + 1:05d}"
            return 200, {}, {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            known = self.channels.get(str(params.get("channel_id")))
            if known is not None and not known.bot_member:
                return 200, {}, {"ok": False, "error": "not_in_channel"}
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            if not files:
                return 200, {}, {"ok": False, "error": "invalid_arguments"}
            self.shared.append({**params, "files": files})
            return 200, {}, {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "conversations.history":
            return 200, {}, self._history(params)
        if method == "conversations.info":
            return 200, {}, self._info(str(params.get("channel")))
        if method == "conversations.join":
            return 200, {}, self._join(str(params.get("channel")))
        answers: dict[str, Any] = {
            "auth.test": {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "Test"},
            "users.info": {"ok": True, "user": self._user(params)}
            if params.get("user") in self.users
            else {"ok": False, "error": "user_not_found"},
            "users.lookupByEmail": next(
                (
                    {"ok": True, "user": {k: v for k, v in u.items() if k != "locale"}}  # as Slack: no locale
                    for u in self.users.values()
                    if u["profile"]["email"] == str(params.get("email", "")).lower()
                ),
                {"ok": False, "error": "users_not_found"},
            ),
            "views.open": {"ok": True, "view": {"id": "V1", **(params.get("view") or {})}},
            "views.publish": {"ok": True, "view": {"id": "V2", **(params.get("view") or {})}},
            "views.update": {"ok": True, "view": {"id": "V3"}},
            "chat.postMessage": {"ok": True, "channel": params.get("channel"), "ts": ts},
            "conversations.open": {
                "ok": True,
                "channel": {"id": "D" + "".join(sorted(str(params.get("users", "")).split(",")))[:10]},
            },
        }
        if method not in answers:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, answers[method]

    def _refusal(self, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer to a call it refuses before doing anything: a missing scope, a bad payload."""
        if method.startswith("/respond/"):
            return self._invalid(method, slack_rules.message_problems(params), "invalid_blocks")
        needed = slack_rules.needed_scopes(method, params, self.kind(str(params.get("channel", ""))))
        if needed is None:
            return None  # answered below as unknown_method
        if needed and not self.scopes & set(needed):
            return {
                "ok": False,
                "error": "missing_scope",
                "needed": ",".join(needed),
                "provided": ",".join(sorted(self.scopes)),
            }
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return self._invalid(method, slack_rules.message_problems(params), "invalid_blocks")
        if method.startswith("views."):
            view = params.get("view") or {}
            return self._invalid(method, slack_rules.view_problems(view), "invalid_arguments")
        return None

    def _invalid(self, method: str, problems: list[str], error: str) -> dict[str, Any] | None:
        if not problems:
            return None
        self.invalid += [f"{method}: {p}" for p in problems]
        return {"ok": False, "error": error, "errors": problems}

    def add_channel(
        self, channel: str, *, private: bool = False, bot_member: bool = True, archived: bool = False
    ) -> None:
        self.channels[channel] = Channel(private, bot_member, archived)

    def _info(self, channel: str) -> dict[str, Any]:
        known = self.channels.get(channel, Channel()) if channel.startswith("C") else None
        if known is None or (known.private and not known.bot_member):
            return {"ok": False, "error": "channel_not_found"}
        return {
            "ok": True,
            "channel": {
                "id": channel,
                "is_channel": True,
                "is_private": known.private,
                "is_member": known.bot_member,
                "is_archived": known.archived,
            },
        }

    def _join(self, channel: str) -> dict[str, Any]:
        known = self.channels.setdefault(channel, Channel())
        if known.private:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        if known.archived:
            return {"ok": False, "error": "is_archived"}
        known.bot_member = True
        return {"ok": True, "channel": {"id": channel}}

    def _history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Newest first, from ``oldest`` on, at most 15 a page (Slack's cap for apps outside the
        Marketplace) however many are asked for; ``cursor`` continues where a page stopped."""
        oldest = float(params.get("oldest") or 0)
        page = min(int(params.get("limit") or 100), 15)
        start = int(params.get("cursor") or 0)
        newest_first = [
            m for m in reversed(self.messages.get(str(params.get("channel")), [])) if float(m["ts"]) > oldest
        ]
        shown = newest_first[start : start + page]
        more = start + page < len(newest_first)
        return {
            "ok": True,
            "messages": shown,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + page) if more else ""},
        }

    def _open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = sorted(u for u in str(params.get("users", "")).split(",") if u)
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if any(u in self.deactivated for u in users):
            return {"ok": False, "error": "user_disabled"}
        channel = "D" + users[0] if len(users) == 1 else "G" + "-".join(users)
        return {"ok": True, "channel": {"id": channel}}

    def _post(self, params: dict[str, Any], ts: str) -> dict[str, Any]:
        channel = str(params.get("channel"))
        if channel.startswith("D") and channel[1:] in self.deactivated:
            return {"ok": False, "error": "account_inactive"}
        known = self.channels.get(channel)
        if known is not None:
            if known.archived:
                return {"ok": False, "error": "is_archived"}
            if not known.bot_member:  # a public channel needs chat:write.public to post uninvited
                if known.private:
                    return {"ok": False, "error": "channel_not_found"}
                if "chat:write.public" not in self.scopes:
                    return {"ok": False, "error": "not_in_channel"}
        msg = {
            "ts": ts,
            "text": params.get("text"),
            "blocks": params.get("blocks"),
            "metadata": params.get("metadata"),
        }
        with self._lock:
            self.messages[channel].append(msg)
        return {"ok": True, "channel": channel, "ts": ts}

    def sent_keys(self) -> list[str]:
        """Outbox dedupe keys of every message posted, one entry per post."""
        with self._lock:  # the server's threads add conversations while a test reads
            posted = [m for msgs in self.messages.values() for m in msgs]
        return [(m.get("metadata") or {}).get("event_payload", {}).get("key", "") for m in posted]

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """The calls of ``method`` once there are at least ``count`` (work happens after the ack).

        The timeout only bounds a failing test: a busy CI machine may take seconds to render a chart.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} call(s) to {method}, got {len(self.of(method))}")
