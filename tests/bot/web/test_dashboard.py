"""The admin dashboard in a real browser (Debian's chromium, driven by Playwright) against the
real web app and the fake Slack: Sign in with Slack, admins only, the overview, sign out."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlmodel import Session, select

from bot.clock import SetClock
from bot.config import Settings
from bot.delivery import outbox
from bot.devtools.fake_slack import FakeSlack
from bot.devtools.signed_http import SECRET, BotServer, http
from bot.domain import InviteStatus, MemberState, PairHealth, RoundStatus
from bot.jobs.worker import run_round
from bot.rendering.dashboard import STATE_NAMES
from bot.services import exports, feedback, pairs_view, participation
from bot.services.workspaces import ensure_workspace
from bot.storage.db import transaction
from bot.storage.models import AuditLog, Member, Outbox, Pairing, ProgramSettings, Round
from bot.web import with_dashboard
from tests.bot.jobs.conftest import TEAM, client_for, deliver, seed
from tests.factories import committed, join, mentee_form, mentor_form, profile_form
from tests.moments import MONDAY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Site:
    slack: FakeSlack
    server: BotServer
    engine: Any

    @property
    def admin(self) -> str:
        return self.server.url + "/admin/"

    def sent_nothing(self) -> bool:
        with Session(self.engine) as s:
            return not s.exec(select(Outbox).where(Outbox.kind == "invite")).all()


def serve(engine, **settings: Any) -> Iterator[Site]:
    with FakeSlack() as slack:
        slack.add_user("UADMIN", "Ada Admin", admin=True)
        slack.add_user("UMEMBER", "Mo Member")
        config = Settings(
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
            slack_bot_token="xoxb-test",
            slack_openid_authorize_url=slack.authorize_url,
            **settings,
        )
        with BotServer(with_dashboard(config, engine, SetClock(MONDAY))) as server:
            yield Site(slack, server, engine)


@pytest.fixture
def site(engine) -> Iterator[Site]:
    yield from serve(engine, slack_client_id="CID", slack_client_secret="CSECRET")


@pytest.fixture(scope="session")
def chromium():
    """One browser for the session (starting one costs a third of a second); each test opens
    its own context, so no cookie or page crosses from one test to the next."""
    if CHROMIUM is None:
        pytest.fail(
            "chromium is not installed (apt-get install chromium): the dashboard needs a real browser"
        )
    from playwright.sync_api import sync_playwright

    # The browser keeps the real clock when CI fakes the suite's (libfaketime slows it 30-fold);
    # the app under test still reads the faked one.
    real = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    with mock.patch.dict(os.environ, real, clear=True):
        driver = sync_playwright().start()
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=real)
    yield launched
    launched.close()
    driver.stop()


@pytest.fixture
def browser(chromium):
    context = chromium.new_context()
    yield context
    context.close()


def actions(engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        return [(a.actor_id, a.action) for a in s.exec(select(AuditLog).order_by(AuditLog.id))]


def test_an_admin_signs_in_with_slack_sees_the_overview_and_signs_out(site, browser):
    seed(site.engine, mentors=2, mentees=3)
    run_round(site.engine, TEAM, MONDAY)
    site.slack.signed_in = ("UADMIN", TEAM)
    page = browser.new_page()
    page.goto(site.admin)
    page.get_by_role("link", name="Sign in with Slack").click()
    page.wait_for_url(site.admin)
    assert page.get_by_role("heading", level=1).inner_text() == "Overview"
    tiles = page.get_by_role("list", name="The program at a glance")
    assert "5\nparticipants" in tiles.inner_text()
    assert "2 / 2\nmentor places in use" in tiles.inner_text()
    assert "67%\nmatched in the latest round" in tiles.inner_text()  # 2 of 3 mentees
    assert page.get_by_role("img", name="Match rate and meeting rate per round").is_visible()

    (cookie,) = [c for c in page.context.cookies() if c["name"] == "mentorbot_admin"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]  # localhost
    browser_now = page.evaluate("Date.now() / 1000")  # the browser's clock (CI fakes the suite's)
    assert abs(cookie["expires"] - (browser_now + 8 * 3600)) < 300  # the session lasts 8 hours
    authorize = site.slack.of("/openid/connect/authorize")[0].params
    assert authorize["scope"] == "openid profile" and authorize["state"] and authorize["nonce"]

    page.set_viewport_size({"width": 375, "height": 800})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in with Slack").is_visible()
    assert actions(site.engine)[-2:] == [("UADMIN", "dashboard.signin"), ("UADMIN", "dashboard.signout")]


def test_someone_who_is_not_a_program_admin_is_told_who_can(site, browser):
    site.slack.signed_in = ("UMEMBER", TEAM)
    page = browser.new_page()
    page.goto(site.admin)
    page.get_by_role("link", name="Sign in with Slack").click()
    assert page.get_by_role("heading", level=1).inner_text() == "This dashboard is for program admins"
    page.goto(site.admin)  # and no session was opened
    assert page.get_by_role("link", name="Sign in with Slack").is_visible()
    assert ("UMEMBER", "refused") in actions(site.engine)


def test_forged_requests_are_refused(site):
    # A callback that no sign-in of this browser started (no state in its session).
    forged = http("GET", site.admin + "auth/callback?code=stolen&state=guessed")
    assert forged.status_code == 400 and "expired" in forged.text
    # A sign-out posted from another site: no session, no CSRF token.
    assert (
        http(
            "POST", site.admin + "logout", b"csrf=", {"Content-Type": "application/x-www-form-urlencoded"}
        ).status_code
        == 400
    )
    assert site.slack.of("openid.connect.token") == []  # nothing was exchanged


def test_without_a_client_id_the_dashboard_says_what_to_set(engine):
    for unset in serve(engine):
        reply = http("GET", unset.admin)
        assert (
            reply.status_code == 503
            and "SLACK_CLIENT_ID" in reply.text
            and "SLACK_CLIENT_SECRET" in reply.text
        )


def test_the_session_cookie_is_secure_outside_this_machine(site):
    """Served under a real host name, the cookie only travels over HTTPS."""
    port = int(site.server.url.rsplit(":", 1)[1])
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/admin/login", headers={"Host": "mentors.example.com"})
    reply = conn.getresponse()
    cookie = reply.getheader("Set-Cookie") or ""
    assert reply.status == 302 and reply.getheader("Location", "").startswith(site.slack.authorize_url)
    assert "redirect_uri=http%3A%2F%2Fmentors.example.com%2Fadmin%2Fauth%2Fcallback" in reply.getheader(
        "Location", ""
    )
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {part.strip() for part in cookie.split(";")}


def signed_in(site: Site, browser) -> Any:
    site.slack.signed_in = ("UADMIN", TEAM)
    page = browser.new_page()
    page.goto(site.admin + "login")
    page.wait_for_url(site.admin)
    return page


def test_the_pairs_page_shows_how_each_pair_is_going_and_filters(site, browser):
    seed(site.engine, mentors=2, mentees=2)
    run_round(site.engine, TEAM, MONDAY)
    later = MONDAY + timedelta(days=5)  # the check-ins (due after 4 days) have gone out
    deliver(site.engine, client_for(site.slack), lambda: later)
    with Session(site.engine) as s:
        first, second = s.exec(select(Pairing).order_by(Pairing.id)).all()
    committed(
        site.engine, feedback.record_checkin, TEAM, feedback.Subject(first.id), first.mentee_id, "met", later
    )

    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Pairs").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 2 and "2 pairings" in page.inner_text("main")
    health = dict(
        zip(
            page.locator("tbody td:nth-child(2)").all_inner_texts(),
            page.locator("tbody .health").all_inner_texts(),
            strict=True,
        )
    )
    names = {p.mentee_id: f"Mentee {int(p.mentee_id[2:])}" for p in (first, second)}  # as seed names them
    assert health == {names[first.mentee_id]: "on track", names[second.mentee_id]: "needs a check-in"}

    page.get_by_label("Health").select_option("needs a check-in")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert page.locator("tbody td:nth-child(2)").all_inner_texts() == [names[second.mentee_id]]
    search = names[first.mentee_id].replace(" ", "+")
    page.goto(f"{site.admin}pairs?q={search}&page=abc")  # an unreadable page number is page 1
    assert page.locator("tbody td:nth-child(2)").all_inner_texts() == [names[first.mentee_id]]


def test_the_pairs_page_is_for_signed_in_admins_only(site):
    reply = http("GET", site.admin + "pairs")
    assert reply.status_code == 200 and "Sign in with Slack" in reply.text and "Mentee" not in reply.text


def test_long_lists_come_a_page_at_a_time(engine):
    seed(engine, mentors=3, mentees=3)
    run_round(engine, TEAM, MONDAY)
    with Session(engine) as s:
        pages = [pairs_view.pairs_page(s, TEAM, MONDAY, size=2, page=n) for n in (1, 2, 3)]
    assert [len(p.rows) for p in pages] == [2, 1, 0] and {(p.total, p.pages) for p in pages} == {(3, 2)}
    assert len({r.pairing_id for p in pages for r in p.rows}) == 3  # no pairing on two pages


def test_a_failed_message_is_shown_with_its_reason_and_retried(site, browser):
    seed(site.engine, mentors=1, mentees=1)
    run_round(site.engine, TEAM, MONDAY)
    site.slack.deactivated.add("UE000")  # the mentee's account is off: the intro fails for good
    deliver(site.engine, client_for(site.slack), lambda: MONDAY)
    with Session(site.engine) as s:
        (failed,) = s.exec(select(Outbox).where(Outbox.status == "failed")).all()
    with Session(site.engine) as s:
        assert outbox.retry(s, "T2", failed.id, MONDAY) is False  # not another workspace's

    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Delivery").click()
    assert "1 message could not be delivered" in page.inner_text("main")
    assert failed.last_error in page.locator("tbody code").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name=f"Retry the intro message {failed.id}").click()
    assert "Queued again" in page.inner_text("main") and "0 messages could not" in page.inner_text("main")
    assert ("UADMIN", "delivery.retry") in actions(site.engine)

    site.slack.deactivated.discard("UE000")  # back: the retried intro goes out
    deliver(site.engine, client_for(site.slack), lambda: MONDAY)
    assert f"intro:{failed.dedupe_key.split(':')[1]}" in site.slack.sent_keys()


def test_the_members_page_shows_who_waits_since_when_and_why(site, browser):
    seed(site.engine, mentors=1, mentees=3)
    first = run_round(site.engine, TEAM, MONDAY)
    second = run_round(site.engine, TEAM, MONDAY + timedelta(weeks=1))  # the one mentor is taken
    waiting = sorted(second.unmatched)
    assert len(waiting) == 2 and set(waiting) <= set(first.unmatched)
    committed(site.engine, participation.pause, TEAM, "UM000", None, MONDAY)
    with transaction(site.engine) as s:
        quiet = s.get(Member, (TEAM, waiting[0]))
        quiet.paused, quiet.pause_reason = True, "no-show"

    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Members").click()
    rows = {
        cells[0]: cells
        for cells in (r.locator("td").all_inner_texts() for r in page.locator("tbody tr").all())
    }
    assert len(rows) == 4 and "4 members." in page.inner_text("main")
    assert rows["Mentor 0"][3:6] == ["1", "no", "paused"]
    quiet_name = f"Mentee {int(waiting[0][2:])}"
    assert rows[quiet_name][5:8] == ["gone quiet", first.period, str(second.unmatched[waiting[0]])]
    page.get_by_label("Name, role or team").fill("mentor")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert page.locator("tbody td:first-child").all_inner_texts() == ["Mentor 0"]


def test_a_held_round_is_edited_and_published_from_the_rounds_page(site, browser):
    seed(site.engine, mentors=3, mentees=3)
    with transaction(site.engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.review_before_publish = True  # to the admin channel, for review
    held = run_round(site.engine, TEAM, MONDAY)
    assert held.pending and len(held.pairs) == 3

    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Rounds").click()
    assert "Held for review: 3 proposed pairs" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="Dry run: who would be paired now").click()
    assert "Nothing was stored or sent" in page.inner_text("main")
    assert ("UADMIN", "round.preview") in actions(site.engine)

    with page.expect_navigation():
        page.get_by_role("button", name="Remove pair 1").click()
    assert "Removed; the rest was re-solved." in page.inner_text("main")
    page.get_by_label("Pair", exact=True).fill("1")
    page.get_by_label("and pair").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Swap their mentees").click()
    assert "Not changed: Pick two different pairs" in page.inner_text("main")
    before = page.locator("tbody tr").first.inner_text()
    page.get_by_label("Pair", exact=True).fill("1")
    page.get_by_label("and pair").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Swap their mentees").click()
    assert "Swapped the mentees of pairs 1 and 2" in page.inner_text("main")
    assert page.locator("tbody tr").first.inner_text() != before
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    text = page.inner_text("main")
    assert "Published: " in text and "Held for review" not in text
    with Session(site.engine) as s:
        intros = s.exec(select(Outbox).where(Outbox.kind == "intro")).all()
    assert intros and ("UADMIN", "review.publish") in actions(site.engine)
    assert ("UADMIN", "review.remove") in actions(site.engine)


def test_the_skills_page_names_the_gaps_and_whom_to_ask_and_exports(site, browser):
    seed(site.engine, mentors=1, mentees=3)  # three want sql, one place offers it
    strong = profile_form(strengths={"sql": 5}, goals={}, mentor_capacity=0, wants_mentor=False)
    join(site.engine, TEAM, "USAM", strong, name="Sam Strong")
    run_round(site.engine, TEAM, MONDAY)

    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Skills").click()
    text = page.inner_text("main")
    assert "3 mentees want sql; only 1 mentor place offers it" in text
    assert "sql: Sam Strong" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every pairing and its outcome (CSV)").click()
    csv_text = Path(download.value.path()).read_text()
    assert csv_text.splitlines()[0] == ",".join(exports.CSV_COLUMNS) and len(csv_text.splitlines()) == 2
    assert ("UADMIN", "export") in actions(site.engine)


def test_settings_are_validated_the_same_way_and_saved(site, browser):
    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Settings").click()
    page.get_by_label("Time zone of that hour").fill("Mars/Olympus")
    page.get_by_label("Term, in weeks").fill("99")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    text = page.inner_text("main")
    assert (
        "Nothing was saved" in text and "Use an IANA time zone" in text and "Between 1 and 52 weeks" in text
    )
    assert page.get_by_label("Term, in weeks").get_attribute("aria-invalid") == "true"

    page.get_by_label("Time zone of that hour").fill("Europe/Madrid")
    page.get_by_label("Term, in weeks").fill("10")
    page.get_by_label("Format").select_option("circles")
    page.get_by_label("Program admins besides Slack's admins and owners (member ids)").fill("UMEMBER")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Saved." in page.inner_text("main")
    with Session(site.engine) as s:
        saved = s.get(ProgramSettings, TEAM)
        assert (saved.timezone, saved.term_weeks, saved.format, saved.admins) == (
            "Europe/Madrid",
            10,
            "circles",
            ["UMEMBER"],
        )
    assert ("UADMIN", "settings.update") in actions(site.engine)


def test_an_admin_cannot_reach_another_workspaces_data_by_editing_urls(site, browser):
    for team in (TEAM, "T2"):
        join(site.engine, team, f"M{team}", mentor_form({"sql": 5}), name=f"Mentor of {team}")
        join(site.engine, team, f"E{team}", mentee_form({"sql": 3}), name=f"Mentee of {team}")
        with transaction(site.engine) as s:
            held = s.get(ProgramSettings, team)
            held.review_before_publish, held.admin_channel = True, "CADMIN"
        assert run_round(site.engine, team, MONDAY).pending
    with Session(site.engine) as s:
        other = s.exec(select(Round).where(Round.team_id == "T2")).one()

    page = signed_in(site, browser)  # an admin of T1
    page.goto(site.admin + "rounds")
    assert "Mentee of T1" in page.inner_text("main") and "T2" not in page.inner_text("main")
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(f"{site.admin}rounds/{other.id}/publish", form={"csrf": token})
    assert refused.ok and "no longer waiting for review" in refused.text()
    with Session(site.engine) as s:
        assert s.get(Round, other.id).status == "pending"  # untouched
    page.goto(site.admin + "pairs?q=T2")
    assert "No pairings match." in page.inner_text("main")


def test_import_previews_a_pasted_list_then_invites_each_person_once(site, browser):
    seed(site.engine, mentors=1, mentees=1)
    site.slack.add_user("UNEW", "Nia New")
    site.slack.add_user("UM000", "Mentor 0")
    site.slack.add_user("UOTHER", "Oz Other", team_id="T9")
    site.slack.add_user("UMEMBER", "Mo Member", locale="zh-CN")  # found by email, invited in Chinese
    pasted = "UNEW, mo.member@example.com\nnobody@example.com; UM000 <@UOTHER|oz> hello UNEW"

    page = signed_in(site, browser)
    with page.expect_navigation():
        page.get_by_role("link", name="Import").click()
    page.get_by_label("People to invite").fill(pasted)
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    preview = [r.locator("td").all_inner_texts() for r in page.locator("tbody tr").all()]
    assert preview == [
        ["UNEW", "Nia New", "will be invited"],
        ["mo.member@example.com", "Mo Member", "will be invited"],
        ["nobody@example.com", "", "not found in this Slack workspace"],
        ["UM000", "Mentor 0", "already has a profile"],
        ["UOTHER", "", "not found in this Slack workspace"],  # another workspace's member
        ["hello", "", "not a member id or an email address"],
    ]
    assert site.sent_nothing()
    with page.expect_navigation():
        page.get_by_role("button", name="Send 2 invitations").click()
    assert "Invited 2 people." in page.inner_text("main")
    deliver(site.engine, client_for(site.slack), lambda: MONDAY)
    assert sorted(k for k in site.slack.sent_keys() if k.startswith("invite:")) == [
        "invite:UMEMBER",
        "invite:UNEW",
    ]
    assert "你受邀加入导师计划" in site.slack.messages["DUMEMBER"][0]["text"]  # their Slack locale
    assert "invited to the mentoring program" in site.slack.messages["DUNEW"][0]["text"]

    page.get_by_label("People to invite").fill("UNEW")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    assert "already invited" in page.inner_text("main") and "Nobody on this list needs" in page.inner_text(
        "main"
    )
    assert ("UADMIN", "import.invite") in actions(site.engine)


def test_a_long_list_pages_with_next_and_previous(site, browser):
    with transaction(site.engine) as s:
        ensure_workspace(s, TEAM, MONDAY)
        for k in range(51):
            s.add(
                Outbox(
                    team_id=TEAM,
                    dedupe_key=f"lost:{k}",
                    kind="intro",
                    recipients=[f"U{k:03d}"],
                    payload={"text": "hi"},
                    status="failed",
                    last_error="user_disabled",
                    send_after=MONDAY,
                    created_at=MONDAY,
                )
            )
    page = signed_in(site, browser)
    page.goto(site.admin + "delivery")
    assert "Page 1 of 2" in page.inner_text("main") and page.locator("tbody tr").count() == 50
    with page.expect_navigation():
        page.get_by_role("link", name="Next").click()
    assert "Page 2 of 2" in page.inner_text("main") and page.locator("tbody tr").count() == 1
    assert page.get_by_role("link", name="Previous").is_visible()


def test_multi_workspace_installs_sign_their_own_admins_in(engine, browser):
    """OAuth distribution: the admin's rights are read with their workspace's own bot token."""
    with FakeSlack() as slack:
        config = Settings(
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
            slack_client_id="CID",
            slack_client_secret="CSECRET",
            slack_openid_authorize_url=slack.authorize_url,
        )
        assert config.multi_workspace and config.sign_in
        with BotServer(with_dashboard(config, engine, SetClock(MONDAY))) as server:
            install = server.get("/slack/install")
            state = re.search(r"state=([^&\"]+)", install.text).group(1)
            cookie = install.headers["set-cookie"].split(";")[0]
            done = server.get(f"/slack/oauth_redirect?code=code-T9&state={state}", headers={"Cookie": cookie})
            assert done.status_code == 200, done.text
            slack.add_user("UADM9", "Ida Nine", admin=True, team_id="T9")
            slack.add_user("UADMX", "Xan Elsewhere", admin=True, team_id="TX")  # a workspace never installed

            page = browser.new_page()
            for user, team, heading in (
                ("UADMX", "TX", "This dashboard is for program admins"),
                ("UADM9", "T9", "Overview"),
            ):
                slack.signed_in = (user, team)
                page.goto(server.url + "/admin/login")
                assert page.get_by_role("heading", level=1).inner_text() == heading
    (info,) = [c for c in slack.of("users.info") if c.params.get("user") == "UADM9"]
    assert info.token == "xoxb-T9"


def test_every_page_fits_a_phone_and_has_its_heading(site, browser):
    seed(site.engine, mentors=2, mentees=3)
    run_round(site.engine, TEAM, MONDAY)
    page = signed_in(site, browser)
    page.set_viewport_size({"width": 375, "height": 800})
    for path, heading in (
        ("", "Overview"),
        ("pairs", "Pairs"),
        ("members", "Members"),
        ("rounds", "Rounds"),
        ("skills", "Skills"),
        ("settings", "Settings"),
        ("delivery", "Delivery"),
        ("import", "Invite people"),
    ):
        page.goto(site.admin + path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path  # wide tables scroll inside
        unlabelled = page.evaluate(
            "[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]"
            ".filter(e => !e.labels || e.labels.length === 0).length"
        )
        assert unlabelled == 0, path


def test_a_form_posted_without_its_csrf_token_changes_nothing(site, browser):
    page = signed_in(site, browser)  # signed in: only the token is missing
    posted = page.request.post(site.admin + "settings", form={"term_weeks": "3", "timezone": "UTC"})
    assert posted.status == 400
    with Session(site.engine) as s:
        assert s.get(ProgramSettings, TEAM).term_weeks != 3


def test_import_reads_an_uploaded_file(site, browser, tmp_path):
    site.slack.add_user("UNEW", "Nia New")
    listing = tmp_path / "people.csv"
    listing.write_text("email\nnia.new@example.com\n")
    page = signed_in(site, browser)
    page.goto(site.admin + "import")
    page.get_by_label("Or a file").set_input_files(str(listing))
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    rows = [r.locator("td").all_inner_texts() for r in page.locator("tbody tr").all()]
    assert rows == [
        ["email", "", "not a member id or an email address"],
        ["nia.new@example.com", "Nia New", "will be invited"],
    ]


def test_an_admin_whose_slack_is_in_chinese_gets_the_dashboard_in_chinese(site, chromium):
    seed(site.engine, mentors=2, mentees=3)
    run_round(site.engine, TEAM, MONDAY)
    browser = chromium.new_context(locale="zh-CN")  # the browser's language, before sign-in
    page = browser.new_page()
    page.goto(site.admin)
    assert page.get_by_role("heading", level=1).inner_text() == "登录"

    site.slack.add_user("UADMIN", "Ada Admin", admin=True, locale="zh-CN")  # Slack's, once signed in
    page = signed_in(site, browser)
    assert page.get_by_role("heading", level=1).inner_text() == "概览"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    with page.expect_navigation():
        page.get_by_role("link", name="配对").click()
    assert page.get_by_label("状况").inner_text().split()[:2] == ["全部", "进展顺利"]
    assert "还为时尚早" in page.inner_text("tbody") and "擅长 SQL" in page.inner_text("tbody")
    page.goto(site.admin + "settings")
    assert page.get_by_label("每一轮的目标").inner_text().startswith("让尽可能多的人得到配对")
    browser.close()


def test_every_state_a_page_shows_has_a_name_in_the_catalogs():
    for kind in (PairHealth, MemberState, RoundStatus, InviteStatus):
        assert all(state in STATE_NAMES for state in kind)
