"""The one place notices become Slack messages: every kind renders to a message Slack accepts,
with member-entered text escaped, and a unit of work queues its notices or, if it fails, none."""

from __future__ import annotations

import typing
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot import notify
from bot.devtools.slack_rules import message_problems
from bot.domain import (
    AskedToMentor,
    CheckIn,
    CircleIntro,
    CircleUnplaced,
    EndedRequest,
    FeedbackPrompt,
    FirstMeeting,
    Intro,
    Invitation,
    LeftOut,
    MeetingPicked,
    MoreSlots,
    NobodyLeft,
    NoShow,
    Notice,
    NoticeContent,
    Offer,
    ProposedPair,
    RequestClosed,
    RequestStatus,
    ReviewRequest,
    RoundComing,
    Row,
    Shortlist,
)
from bot.services.workspaces import ensure_workspace
from bot.storage.models import Member as MemberRow
from bot.storage.models import Outbox
from matching import Member, Seniority, Words
from matching.reasons import reason, reason_n
from tests.moments import MONDAY

HOSTILE = "<!channel> R&D <b>"  # what a member may type into a team, a goal or a name
STRONG = reason(
    "{mentor} is strong in {skills}, which {mentee} wants to learn",
    mentor=HOSTILE,
    mentee="Bea",
    skills=Words((HOSTILE, "sql"), levels=("5/5", "4/5")),
)
TEAMS = reason(
    "different teams ({team}, {other_team}): a new connection across the organisation",
    team=HOSTILE,
    other_team="Data",
)
PAIR = ProposedPair("U1", "U2", HOSTILE, "Bea", 0.8, (STRONG, TEAMS))
OFFER = Offer(7, 1, "U1", HOSTILE, (STRONG,))
BLOCKED = reason_n(
    "the {count} mentor who offers {skills} {blockers}",
    "the {count} mentors who offer {skills} {blockers}",
    2,
    skills=Words((HOSTILE, "sql"), "or"),
    blockers=Words(("are less senior than you", "share too little working time with you"), "or"),
)
SLOTS = FirstMeeting("41", tuple(MONDAY + timedelta(days=d, hours=3) for d in (1, 2, 3)))
NO_SLOTS = FirstMeeting("c5", (), "your working days (9:00-17:00 local) don't overlap")
SAMPLES: dict[type, NoticeContent] = {
    Intro: Intro(PAIR, (HOSTILE, "sql"), 12, SLOTS),
    CheckIn: CheckIn("41"),
    LeftOut: LeftOut(BLOCKED),
    FeedbackPrompt: FeedbackPrompt("41", "U1"),
    RoundComing: RoundComing("2026-W10", MONDAY, 2, True),
    NoShow: NoShow(2),
    CircleIntro: CircleIntro(
        (
            Member("U1", HOSTILE, Seniority.parse("senior"), team=HOSTILE, strengths={"sql": 5}),
            Member("U2", "Bea", Seniority.parse("junior"), goals={"sql": 3}),
            Member("U3", "Cy", Seniority.parse("mid"), goals={"sql": 2}),
        ),
        (("U1", "sql"),),
        NO_SLOTS,
    ),
    CircleUnplaced: CircleUnplaced(),
    Shortlist: Shortlist((OFFER,), 3, EndedRequest("U9", RequestStatus.expired, 3)),
    NobodyLeft: NobodyLeft(EndedRequest("U1", RequestStatus.declined, 3)),
    AskedToMentor: AskedToMentor(9, "U2", (STRONG, TEAMS), (HOSTILE,), 12, MONDAY + timedelta(days=3)),
    RequestClosed: RequestClosed(RequestStatus.expired, "U2"),
    ReviewRequest: ReviewRequest(5, (Row(1, 41, PAIR),), 3, MONDAY + timedelta(hours=48), "publish"),
    MoreSlots: MoreSlots("U2", SLOTS, Intro(PAIR, (HOSTILE,), 12)),
    MeetingPicked: MeetingPicked("U2", MONDAY + timedelta(days=1)),
    Invitation: Invitation("UADMIN"),
}


def test_every_kind_of_notice_has_a_sample_here():
    """So a new kind can't be added without being rendered and checked below."""
    assert set(SAMPLES) == set(typing.get_args(NoticeContent))


@pytest.mark.parametrize("languages", [["en"], ["zh_CN"], ["zh_CN", "en"]])
@pytest.mark.parametrize("content", SAMPLES.values(), ids=[t.__name__ for t in SAMPLES])
def test_each_notice_renders_to_a_message_slack_accepts(content, languages):
    """Slack's rules include mrkdwn escaping (the member-entered ``HOSTILE`` text left raw in any
    mrkdwn would be reported: it would ping the whole workspace), its limits (which count
    characters, Chinese ones too) and block ids unique in a message (two languages, one message)."""
    assert message_problems(notify.render(content, languages)) == []


@pytest.mark.parametrize("kind", sorted(SAMPLES, key=lambda t: t.__name__), ids=lambda t: t.__name__)
def test_each_notice_is_written_in_chinese_for_a_chinese_reader(kind):
    english = notify.render(SAMPLES[kind])
    chinese = notify.render(SAMPLES[kind], ["zh_CN"])
    assert chinese["text"] != english["text"]
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese["text"])  # CJK ideographs


def test_a_message_for_readers_of_two_languages_has_both_the_mentees_first(engine):
    """Bea (the mentee, U2) reads Chinese, the mentor English: the intro says it all in both."""
    with notify.unit_of_work(engine, MONDAY) as (session, notices):
        ensure_workspace(session, "T1", MONDAY)
        for user, locale, chosen in (("U1", "en-US", ""), ("U2", "en-US", "zh_CN"), ("U3", "zh-CN", "")):
            session.add(
                MemberRow(
                    team_id="T1",
                    user_id=user,
                    slack_locale=locale,
                    language=chosen,
                    created_at=MONDAY,
                    updated_at=MONDAY,
                )
            )
        session.flush()
        notices.append(Notice("T1", "intro:1", "intro", ("U1", "U2"), SAMPLES[Intro]))
        notices.append(Notice("T1", "noshow:1:U3", "noshow", ("U3",), NoShow(2)))
        notices.append(Notice("T1", "noshow:1:U1", "noshow", ("U1",), NoShow(2)))
    with Session(engine) as s:
        intro, u3, u1 = (r.payload for r in s.exec(select(Outbox).order_by(col(Outbox.id))).all())
    assert intro == notify.render(SAMPLES[Intro], ["zh_CN", "en"])
    assert intro["text"].index("认识一下") < intro["text"].index("Meet your mentoring match")
    assert u3 == notify.render(NoShow(2), ["zh_CN"])  # from Slack's locale
    assert u1 == notify.render(NoShow(2))


def test_something_that_is_not_a_notice_is_refused():
    with pytest.raises(TypeError, match="no rendering"):
        notify.render(PAIR)  # type: ignore[arg-type]


def test_a_unit_of_work_queues_its_notices_in_order_or_none_when_it_fails(engine):
    notices = [
        Notice("T1", "intro:1", "intro", ("U1", "U2"), SAMPLES[Intro]),
        Notice("T2", "noshow:1:U9", "noshow", ("U9",), NoShow(2)),
        Notice("T1", "review:5:C1", "review", (), SAMPLES[ReviewRequest], channel="C1"),
    ]
    with notify.unit_of_work(engine, MONDAY) as (session, queued):
        ensure_workspace(session, "T1", MONDAY)
        ensure_workspace(session, "T2", MONDAY)
        queued.extend(notices)
    with pytest.raises(RuntimeError), notify.unit_of_work(engine, MONDAY) as (_, queued):
        queued.append(Notice("T1", "lost", "intro", ("U1",), NoShow(1)))
        raise RuntimeError("the round failed half way")
    with Session(engine) as s:
        rows = s.exec(select(Outbox).order_by(col(Outbox.id))).all()
    assert [(r.team_id, r.dedupe_key, r.recipients, r.channel) for r in rows] == [
        ("T1", "intro:1", ["U1", "U2"], None),
        ("T2", "noshow:1:U9", ["U9"], None),
        ("T1", "review:5:C1", [], "C1"),
    ]
    assert rows[0].payload == notify.render(SAMPLES[Intro])


def test_the_engines_reasons_are_written_in_the_readers_language_with_catalog_words_translated():
    chinese = str(notify.render(SAMPLES[Intro], ["zh_CN"])["blocks"])
    assert (
        "&lt;!channel&gt; R&amp;D &lt;b&gt; 擅长 &lt;!channel&gt; R&amp;D &lt;b&gt; (5/5)和SQL (4/5)"
        in chinese
    )
    assert "来自不同团队（&lt;!channel&gt; R&amp;D &lt;b&gt;、Data）" in chinese
    left_out = str(notify.render(LeftOut(BLOCKED), ["zh_CN"])["blocks"])
    assert (
        "能教 &lt;!channel&gt; R&amp;D &lt;b&gt;或SQL 的 2 位导师资历比你浅或和你的工作时间重叠太少"
        in left_out
    )
    english = str(notify.render(LeftOut(BLOCKED))["blocks"])
    assert (
        "the 2 mentors who offer &lt;!channel&gt; R&amp;D &lt;b&gt; or sql are less senior than you"
        in english
    )


def test_a_message_to_the_admin_channel_is_written_in_the_program_admins_languages(engine):
    with notify.unit_of_work(engine, MONDAY) as (session, notices):
        ensure_workspace(session, "T1", MONDAY)
        session.add(
            MemberRow(team_id="T1", user_id="UA1", slack_locale="zh-CN", created_at=MONDAY, updated_at=MONDAY)
        )
        session.flush()
        review = SAMPLES[ReviewRequest]
        notices.append(
            Notice("T1", "review:5:C1", "review", (), review, channel="C1", readers=("UA1", "UA2"))
        )
        notices.append(Notice("T1", "review:5:C2", "review", (), review, channel="C2"))
    with Session(engine) as s:
        both, unread = (r.payload for r in s.exec(select(Outbox).order_by(col(Outbox.id))).all())
    assert both == notify.render(review, ["zh_CN", "en"])  # UA2 has no profile: English
    assert "配对方案等待你审核" in both["text"] and unread == notify.render(review)
