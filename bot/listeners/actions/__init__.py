"""Buttons: Home tab, forget-me, check-ins, feedback, heads-ups, coming back, round review,
shortlist requests and their answers, first-meeting slots."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.listeners.actions.checkin import checkin_answered
from bot.listeners.actions.feedback_open import feedback_open
from bot.listeners.actions.forget_me_confirmed import forget_me_confirmed
from bot.listeners.actions.heads_up_answered import heads_up_answered
from bot.listeners.actions.home_buttons import edit_clicked, pause_clicked, resume_clicked
from bot.listeners.actions.meeting_none import meeting_none
from bot.listeners.actions.meeting_picked import meeting_picked
from bot.listeners.actions.mentor_asked import mentor_asked
from bot.listeners.actions.no_show_back import no_show_back
from bot.listeners.actions.request_answered import request_answered
from bot.listeners.actions.review_buttons import publish_clicked, remove_clicked
from bot.rendering.meeting import MEETING_NONE, MEETING_PICKED
from bot.rendering.member import EDIT, FORGET_CONFIRM, PAUSE, RESUME
from bot.rendering.review_messages import REVIEW_PUBLISH, REVIEW_REMOVE
from bot.rendering.round_messages import (
    CHECKIN_MET,
    CHECKIN_NOT_WORKING,
    CHECKIN_NOT_YET,
    FEEDBACK_OPEN,
    HEADS_UP_PREFIX,
    NO_SHOW_BACK,
)
from bot.rendering.shortlist_messages import ASK_PREFIX, REQUEST_ACCEPT, REQUEST_DECLINE


def register(app: App) -> None:
    app.action(EDIT)(edit_clicked)
    app.action(PAUSE)(pause_clicked)
    app.action(RESUME)(resume_clicked)
    app.action(FORGET_CONFIRM)(forget_me_confirmed)
    for answer in (CHECKIN_MET, CHECKIN_NOT_YET, CHECKIN_NOT_WORKING):
        app.action(answer)(checkin_answered)
    app.action(FEEDBACK_OPEN)(feedback_open)
    app.action(NO_SHOW_BACK)(no_show_back)
    app.action(REVIEW_REMOVE)(remove_clicked)
    app.action(REVIEW_PUBLISH)(publish_clicked)
    app.action(re.compile(f"^{HEADS_UP_PREFIX}"))(heads_up_answered)
    app.action(re.compile(f"^{ASK_PREFIX}"))(mentor_asked)
    app.action(REQUEST_ACCEPT)(request_answered)
    app.action(REQUEST_DECLINE)(request_answered)
    app.action(re.compile(f"^{MEETING_PICKED}[0-9]$"))(meeting_picked)
    app.action(MEETING_NONE)(meeting_none)
