"""The program admins' web dashboard, served under ``/admin`` by the same web process.

Sign in is Slack's OpenID Connect flow: the browser goes to ``SLACK_OPENID_AUTHORIZE_URL``
with a ``state`` and a ``nonce`` kept in the session, comes back to ``/admin/auth/callback``,
and the server exchanges the code with ``openid.connect.token`` and reads the person with
``openid.connect.userInfo`` (both through ``SLACK_API_URL``). Only that workspace's program
admins get in (Slack admins and owners, and the admins the program names); anyone else gets
a page saying who can.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure outside localhost),
expiring after ``SESSION_HOURS``; the signing key is derived from ``SLACK_SIGNING_SECRET``,
so it comes from the environment like every secret. Every form carries a CSRF token, and
every sign-in and sign-out goes to the audit log. Pages read the time once per request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, flash, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session

from bot import i18n, notify
from bot.config import Settings
from bot.delivery import outbox
from bot.domain import InviteStatus, PairHealth, Refusal, SettingsForm
from bot.i18n import N_, _, ngettext
from bot.rendering import settings_modal
from bot.rendering.dashboard import state_name, trend_svg
from bot.rendering.report import format_name
from bot.rendering.review_messages import published
from bot.rendering.terms import reason_text, term
from bot.services import (
    admins,
    exports,
    invitations,
    members_view,
    pairs_view,
    profiles,
    program,
    recruiting,
    reports,
    review,
    rounds,
    workspaces,
)
from bot.slack_channels import admin_channel_problem
from bot.storage.db import row_id, transaction
from matching import InfeasiblePair

SESSION_HOURS = 8
#: Bytes of a pasted or uploaded list read (50 entries fit many times over).
UPLOAD_LIMIT = 20_000
SCOPE = "openid profile"
#: Accept-Language tags the sign-in page can be shown in.
BROWSER_LANGUAGES = [code.replace("_", "-") for code in i18n.LANGUAGES]
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


class _Cookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure unless the dashboard is served on this machine."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.host.rsplit(":", 1)[0] not in LOCAL_HOSTS


def session_key(settings: Settings) -> str:
    """The cookie-signing key, derived from the app's signing secret (never stored or logged)."""
    secret = settings.slack_signing_secret.encode()
    return hmac.new(secret, b"mentorbot dashboard sessions", hashlib.sha256).hexdigest()


def dashboard_app(
    settings: Settings,
    engine: Engine,
    client_for: Callable[[str], WebClient],
    clock: Callable[[], datetime],
) -> Flask:
    """The dashboard as a WSGI app, to be mounted at ``/admin``."""
    app = Flask(__name__)
    app.secret_key = session_key(settings)
    app.config["MAX_CONTENT_LENGTH"] = 1_000_000  # no upload or form is bigger: refused with 413
    app.session_interface = _Cookies()
    app.config.update(
        SESSION_COOKIE_NAME="mentorbot_admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
    )
    api = WebClient(base_url=settings.slack_api_url, timeout=10)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        term=term, reason_text=reason_text, format_name=format_name, state_name=state_name
    )
    app.jinja_env.filters["reason_text"] = reason_text

    @app.before_request
    def read_the_clock() -> None:
        g.now = clock()

    @app.before_request
    def speak_the_admins_language() -> None:
        """Pages are in the signed-in admin's language (their profile's, else the one Slack
        reported at sign-in); before sign-in, in the browser's."""
        if "user" in session:
            with Session(engine) as db:
                chosen = profiles.languages(db, session["team"], [session["user"]]).get(session["user"])
            language = chosen or session.get("language", i18n.ENGLISH)
        else:
            language = i18n.language_of(request.accept_languages.best_match(BROWSER_LANGUAGES))
        i18n.speak(language)

    @app.context_processor
    def page_language() -> dict[str, str]:
        return {"html_lang": i18n.current().replace("_", "-")}

    @app.after_request
    def no_framing(response: Response) -> Response:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def overview() -> Any:
        if not settings.sign_in:
            return render_template("unconfigured.html"), 503
        if "user" not in session:
            return render_template("sign_in.html")
        team = session["team"]
        with Session(engine) as db:
            figures = reports.build(db, team, g.now)
            undelivered = outbox.failed_count(db, team)
        return render_template(
            "overview.html",
            report=figures,
            undelivered=undelivered,
            chart=trend_svg(figures.trend),
            csrf=_csrf_token(),
        )

    @app.get("/pairs")
    def pairs() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        team = session["team"]
        args = request.args
        wanted = {h.value: h for h in PairHealth}.get(args.get("health", ""))
        with Session(engine) as db:
            found = pairs_view.pairs_page(
                db,
                team,
                g.now,
                search=args.get("q", "")[:100],
                team=args.get("team", "")[:200],
                skill=args.get("skill", "")[:100],
                health=wanted,
                page=_page_number(args.get("page", "1")),
            )
            teams = pairs_view.teams(db, team)
            skills = sorted(workspaces.skills(db, team), key=lambda s: s.name)
        return render_template(
            "pairs.html",
            page=found,
            teams=teams,
            skills=skills,
            healths=list(PairHealth),
            args=args,
            csrf=_csrf_token(),
        )

    @app.get("/members")
    def members() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        args = request.args
        with Session(engine) as db:
            found = members_view.members_page(
                db, session["team"], search=args.get("q", "")[:100], page=_page_number(args.get("page", "1"))
            )
        return render_template("members.html", page=found, args=args, csrf=_csrf_token())

    @app.get("/delivery")
    def delivery() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        with Session(engine) as db:
            found = outbox.failed(db, session["team"], _page_number(request.args.get("page", "1")))
        done = request.args.get("retried", "")
        return render_template("delivery.html", page=found, retried=done, csrf=_csrf_token())

    @app.post("/delivery/<int:message_id>/retry")
    def retry(message_id: int) -> Any:
        _check_csrf()
        team, user = session["team"], session["user"]
        with transaction(engine) as db:
            again = outbox.retry(db, team, message_id, g.now)
            if again:
                admins.audit(db, team, user, "delivery.retry", g.now, message=message_id)
        return redirect(url_for("delivery", retried="yes" if again else "no"))

    @app.get("/rounds")
    def rounds_page() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        team = session["team"]
        with Session(engine) as db:
            past = rounds.history(db, team)
            held = review.proposal(db, team)
        return render_template("rounds.html", past=past, held=held, preview=None, csrf=_csrf_token())

    @app.post("/rounds/dry-run")
    def dry_run() -> Any:
        _check_csrf()
        team = session["team"]
        with transaction(engine) as db:  # audited as in Slack (/mentor admin run --dry-run)
            admins.audit(db, team, session["user"], "round.preview", g.now, via="dashboard")
        with transaction(engine) as db:
            preview = rounds.run_round(db, [], team, g.now, dry_run=True)
            past = rounds.history(db, team)
            held = review.proposal(db, team)
        return render_template("rounds.html", past=past, held=held, preview=preview, csrf=_csrf_token())

    @app.post("/rounds/<int:round_id>/<action>")
    def edit_round(round_id: int, action: str) -> Any:
        """Remove a proposed pair, swap two pairs' mentees, publish or drop: the review of Slack."""
        _check_csrf()
        team, user, form = session["team"], session["user"], request.form
        try:
            with notify.unit_of_work(engine, g.now) as (db, notices):
                if action == "remove":
                    review.remove(db, team, round_id, row_id(form.get("pairing")), user, g.now)
                    flash(_("Removed; the rest was re-solved."))
                elif action == "swap":
                    a, b = row_id(form.get("a")), row_id(form.get("b"))
                    review.swap(db, team, a, b, user, g.now)
                    flash(
                        _("Swapped the mentees of pairs {a} and {b}; the rest was re-solved.").format(
                            a=a, b=b
                        )
                    )
                elif action == "publish":
                    flash(published(review.publish(db, notices, team, round_id, user, g.now)))
                elif action == "drop":
                    review.drop(db, team, round_id, user, g.now)
                    flash(_("Dropped: no pairs this round, and members heard nothing."))
                else:
                    abort(404)
        except review.NotPending:
            flash(_("That round is no longer waiting for review."))
        except (Refusal, InfeasiblePair) as refused:
            flash(_("Not changed: {why}").format(why=reason_text(refused.reason)))
        return redirect(url_for("rounds_page"))

    @app.get("/skills")
    def skills_page() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        team = session["team"]
        with Session(engine) as db:
            figures = reports.build(db, team, g.now)
            short = [b.skill for b in sorted(figures.skills, key=lambda b: -b.gap) if b.gap > 0][:10]
            recruits = recruiting.candidates(db, team, short)
        balance = sorted(figures.skills, key=lambda b: (-b.gap, -b.demand, b.skill))
        return render_template(
            "skills.html", balance=balance, gaps=figures.gaps(), recruits=recruits, csrf=_csrf_token()
        )

    @app.get("/export.csv")
    def export() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        team, comments = session["team"], request.args.get("comments") == "yes"
        with transaction(engine) as db:
            admins.audit(db, team, session["user"], "export", g.now, comments=comments, via="dashboard")
            data = exports.pairings_csv(db, team, include_comments=comments)
        return Response(
            data,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="mentorbot-pairings-{team}.csv"'},
        )

    @app.route("/settings", methods=["GET", "POST"])
    def settings_page() -> Any:
        if "user" not in session:
            return redirect(url_for("overview"))
        team = session["team"]
        with transaction(engine) as db:
            current = program.current_form(program.load(db, team, g.now))
        errors: dict[str, str] = {}
        shown = current
        if request.method == "POST":
            _check_csrf()
            try:
                shown = _settings_form(request.form, current)
                program.validate(shown)
                if shown.admin_channel and shown.admin_channel != current.admin_channel:
                    problem = admin_channel_problem(client_for(team), shown.admin_channel)
                    if problem:
                        raise program.SettingsInvalid({"admin_channel": problem})
                with transaction(engine) as db:
                    program.update(db, team, session["user"], shown, g.now)
                flash(_("Saved."))
                return redirect(url_for("settings_page"))
            except program.SettingsInvalid as invalid:
                errors = invalid.errors
        return render_template(
            "settings.html", form=shown, errors=errors, choices=SETTINGS_CHOICES, csrf=_csrf_token()
        ), (400 if errors else 200)

    @app.route("/import", methods=["GET", "POST"])
    def import_page() -> Any:
        """Paste a list of people; see what inviting them would do; then send (resolved again)."""
        if "user" not in session:
            return redirect(url_for("overview"))
        team, pasted, lines, problem = session["team"], "", None, ""
        if request.method == "POST":
            _check_csrf()
            pasted = request.form.get("people", "")[:UPLOAD_LIMIT]
            upload = request.files.get("file")
            if upload is not None and upload.filename:  # a .txt or .csv: its text joins the pasted list
                pasted = (pasted + "\n" + upload.read(UPLOAD_LIMIT).decode("utf-8", "replace")).strip()
            try:
                entries = invitations.read_list(pasted)
            except invitations.TooMany as too_many:
                problem = reason_text(too_many.reason)
            else:
                found = [(e, *_resolve(client_for(team), team, e)) for e in entries]
                if request.form.get("send") == "yes":
                    with notify.unit_of_work(engine, g.now) as (db, notices):
                        ready = invitations.preview(db, team, found)
                        sent = invitations.invite(db, notices, team, ready, session["user"], g.now)
                    flash(
                        ngettext("Invited {count} person.", "Invited {count} people.", sent).format(
                            count=sent
                        )
                    )
                    return redirect(url_for("import_page"))
                with Session(engine) as db:
                    lines = invitations.preview(db, team, found)
        return render_template(
            "import.html",
            pasted=pasted,
            lines=lines,
            problem=problem,
            invitable=InviteStatus.invite,
            most=invitations.MOST,
            csrf=_csrf_token(),
        )

    @app.get("/login")
    def login() -> Any:
        if not settings.sign_in:
            abort(503)
        session.clear()
        session["state"], session["nonce"] = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        query = {
            "response_type": "code",
            "scope": SCOPE,
            "client_id": settings.slack_client_id,
            "redirect_uri": _callback_url(),
            "state": session["state"],
            "nonce": session["nonce"],
        }
        return redirect(f"{settings.slack_openid_authorize_url}?{urlencode(query)}")

    @app.get("/auth/callback")
    def callback() -> Any:
        state, nonce = session.pop("state", None), session.pop("nonce", None)
        if not state or not hmac.compare_digest(state, request.args.get("state", "")):
            return render_template(
                "sign_in.html", problem=_("That sign-in link expired: please try again.")
            ), 400
        try:
            token = api.openid_connect_token(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                code=request.args.get("code", ""),
                redirect_uri=_callback_url(),
            )
            claims = _id_claims(str(token["id_token"]))
            if claims.get("nonce") != nonce or claims.get("aud") != settings.slack_client_id:
                raise ValueError("the identity token is not for this sign-in")
            who = api.openid_connect_userInfo(token=str(token["access_token"]))
        except (SlackApiError, ValueError, KeyError):
            return render_template(
                "sign_in.html", problem=_("Slack didn't confirm who you are: please try again.")
            ), 400
        user, team = str(who["https://slack.com/user_id"]), str(who["https://slack.com/team_id"])
        try:
            profile = client_for(team).users_info(user=user, include_locale=True)["user"]
        except (SlackApiError, LookupError):
            profile = {}
        with transaction(engine) as db:
            allowed = admins.allowed(db, team, user, profile, "dashboard", g.now)
            named = admins.program_admins(db, team)
        if not allowed:
            return render_template("not_admin.html", admins=named), 403
        with transaction(engine) as db:
            admins.audit(db, team, user, "dashboard.signin", g.now)
        session.clear()
        session.permanent = True
        session.update(
            user=user,
            team=team,
            name=str(who.get("name") or user),
            csrf=secrets.token_urlsafe(24),
            language=i18n.language_of(profile.get("locale")),
        )
        return redirect(url_for("overview"))

    @app.post("/logout")
    def logout() -> Any:
        _check_csrf()
        with transaction(engine) as db:
            admins.audit(db, session["team"], session["user"], "dashboard.signout", g.now)
        session.clear()
        return redirect(url_for("overview"))

    return app


#: The settings' choices, as the Slack modal offers them.
SETTINGS_CHOICES = {
    "weekday": [(day, str(k)) for k, day in enumerate(settings_modal.DAYS)],
    "hour": [(f"{h:02d}:00", str(h)) for h in range(24)],
    "objective": settings_modal.OBJECTIVES,
    "heads_up_hours": settings_modal.HEADS_UPS,
    "no_show_limit": settings_modal.no_show_choices(),
    "format": settings_modal.FORMATS,
    "review": settings_modal.REVIEWS,
    "rarity": settings_modal.RARITIES,
}
NUMBERS = (
    "cadence_weeks",
    "weekday",
    "hour",
    "term_weeks",
    "checkin_days",
    "heads_up_hours",
    "no_show_limit",
    "shortlist_size",
    "request_days",
)


def _settings_form(form: Any, current: SettingsForm) -> SettingsForm:
    """The settings form as posted; an unreadable field is an error on that field."""
    errors: dict[str, str] = {}

    def number(name: str) -> int:
        raw = str(form.get(name, "")).strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) < 5):
            errors[name] = N_("A whole number, please.")
            return int(getattr(current, name))
        return int(raw)

    values = {name: number(name) for name in NUMBERS}
    try:
        rarity = float(form.get("rarity", ""))
    except ValueError:
        errors["rarity"] = N_("Pick how much scarce skills count.")
        rarity = current.rarity
    review = str(form.get("review", ""))
    admins = [u for u in re.split(r"[\s,]+", str(form.get("admins", ""))) if u]
    bad = [u for u in admins if not re.fullmatch(r"[UW][A-Z0-9]{2,20}", u)]
    if bad:
        errors["admins"] = N_("Slack member ids such as U012AB3CD, separated by commas.")
    if errors:
        raise program.SettingsInvalid(errors)
    return replace(
        current,
        **values,
        timezone=str(form.get("timezone", "")).strip(),
        allow_same_team=form.get("allow_same_team") == "yes",
        admin_channel=str(form.get("admin_channel", "")).strip() or None,
        admins=admins,
        objective=str(form.get("objective", "")),
        format=str(form.get("format", "")),
        review_before_publish=review in ("publish", "drop"),
        review_expiry=review if review in ("publish", "drop") else "publish",
        rarity=rarity,
    )


def _resolve(client: WebClient, team_id: str, entry: str) -> tuple[str | None, str, str]:
    """(Slack user id, name, language) of a member id or email address in this workspace;
    (None, "", "") if Slack doesn't know them here (or it is neither)."""
    kind = invitations.kind(entry)
    try:
        if kind == "email":  # an address finds the id; users.info then gives the locale too
            entry = client.users_lookupByEmail(email=entry)["user"]["id"]
        elif kind != "id":
            return None, "", ""
        user = client.users_info(user=entry, include_locale=True)["user"]
    except SlackApiError:
        return None, "", ""
    if not admins.belongs_to(user, team_id) or user.get("deleted") or user.get("is_bot"):
        return None, "", ""
    name = str(user.get("real_name") or user.get("name") or user["id"])
    return str(user["id"]), name, i18n.language_of(user.get("locale"))


def _page_number(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 1


def _callback_url() -> str:
    return url_for("callback", _external=True)


def _csrf_token() -> str:
    return str(session.get("csrf", ""))


def _check_csrf() -> None:
    """Refuse a form post from a page the dashboard didn't serve, or from nobody signed in."""
    expected = session.get("csrf")
    if (
        "user" not in session
        or not expected
        or not hmac.compare_digest(expected, request.form.get("csrf", ""))
    ):
        abort(400)


def _id_claims(id_token: str) -> dict[str, Any]:
    """The claims of the ID token Slack returned from the token endpoint.

    It came over TLS straight from Slack's token endpoint in exchange for our client secret,
    which OpenID Connect accepts in place of checking its signature (Core 1.0, 3.1.3.7); the
    nonce and audience are checked by the caller.
    """
    parts = id_token.split(".")
    if len(parts) < 2:
        raise ValueError("not an ID token")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    claims = json.loads(base64.urlsafe_b64decode(payload))
    if not isinstance(claims, dict):
        raise ValueError("not an ID token")
    return claims
