"""The Procfile's web line, as production runs it: gunicorn, forked workers, PostgreSQL.

Every request answers from the first one on: the workers don't share the database
connections that the master opened while checking the schema.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.devtools.fake_slack import FakeSlack
from bot.devtools.signed_http import FORM, SECRET, command_body, http, signed_headers

ROOT = Path(__file__).resolve().parents[2]


def web_command() -> str:
    line = next(x for x in (ROOT / "Procfile").read_text().splitlines() if x.startswith("web:"))
    return line.removeprefix("web:").strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
@pytest.mark.parametrize("gunicorn_args", ["", "--preload"])  # the app built in each worker, or in the master
def test_the_first_requests_after_boot_all_succeed(pg_engine, gunicorn_args):
    url = pg_engine.url.render_as_string(hide_password=False)
    port = free_port()
    with FakeSlack() as slack:
        for k in range(24):
            slack.add_user(f"U{k:03d}", f"Person {k}", team_id="T1")
        server = subprocess.Popen(
            ["bash", "-c", f"exec {web_command()}"],
            env=dict(
                os.environ,
                PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # gunicorn
                DATABASE_URL=url,
                PORT=str(port),
                WEB_CONCURRENCY="2",
                GUNICORN_CMD_ARGS=gunicorn_args,
                SLACK_API_URL=slack.api_url,
                SLACK_BOT_TOKEN="xoxb-test",
                SLACK_SIGNING_SECRET=SECRET,
            ),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            while not listening(port):
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.02)

            def status(k: int) -> tuple[int, str]:
                body = command_body("status", f"U{k:03d}", "T1", "")
                reply = http(
                    "POST", f"http://127.0.0.1:{port}/slack/events", body.encode(), signed_headers(body, FORM)
                )
                return reply.status_code, reply.text

            def health(_k: int) -> tuple[int, str]:
                reply = http("GET", f"http://127.0.0.1:{port}/healthz")
                return reply.status_code, reply.text

            with ThreadPoolExecutor(max_workers=24) as pool:  # the very first requests, all at once
                answers = list(pool.map(status, range(24))) + list(pool.map(health, range(8)))
        finally:
            server.terminate()
            _, errors = server.communicate(timeout=20)
    assert all(code == 200 for code, _ in answers), answers
    assert all("profile" in text for _, text in answers[:24]), answers[:24]  # "no profile yet" answers
    assert "can't reach my database" not in "".join(text for _, text in answers)
    assert b"can't change 'autocommit'" not in errors
