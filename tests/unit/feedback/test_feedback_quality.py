"""The quality check: required fields, evidence, and the three boilerplate signals."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback_upstream import EMPTY_REPLY, GOOD_REPLY, LAMP_COMPLAINT

from services.feedback.quality import (
    EMPTY_FORMULA,
    MISSING_CONTACT_TIME,
    MISSING_MEASURES,
    NEAR_COPY,
    NO_EVIDENCE_FOR_SOLVED,
    OFF_TOPIC,
    EarlierReply,
    ReplyDraft,
    check_reply,
    judge_text,
)

CONTACTED = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
NOISE_COMPLAINT = "楼下烧烤店每天营业到凌晨两点，油烟和噪音严重扰民，请城管部门查处"


def draft(**changes: object) -> ReplyDraft:
    values: dict[str, object] = {
        "result": "solved",
        "public_reply": GOOD_REPLY,
        "measures": "更换灯具和线路",
        "evidence_urls": ("https://media.example/lamp.jpg",),
        "contacted_citizen_at": CONTACTED,
    }
    return ReplyDraft(**(values | changes))  # type: ignore[arg-type]


def test_a_concrete_answer_to_the_question_passes() -> None:
    assert check_reply(draft(), LAMP_COMPLAINT) == ()


def test_acknowledgement_and_thanks_alone_are_an_empty_formula() -> None:
    assert judge_text(EMPTY_REPLY, LAMP_COMPLAINT).reasons == (EMPTY_FORMULA,)


def test_a_note_that_the_matter_was_forwarded_is_an_empty_formula() -> None:
    reply = "网友：你好，你所反映的问题已转交至住建局调查办复。2019年12月31日"

    assert judge_text(reply, LAMP_COMPLAINT).reasons == (EMPTY_FORMULA,)


def test_the_same_text_sent_before_for_another_problem_is_a_near_copy() -> None:
    earlier = [EarlierReply.of(GOOD_REPLY, NOISE_COMPLAINT)]

    assert judge_text(GOOD_REPLY, LAMP_COMPLAINT, earlier).reasons == (NEAR_COPY,)


def test_the_same_answer_to_the_same_complaint_posted_again_is_no_copy() -> None:
    earlier = [EarlierReply.of(GOOD_REPLY, LAMP_COMPLAINT)]

    assert judge_text(GOOD_REPLY, LAMP_COMPLAINT, earlier).reasons == ()


def test_a_short_reply_sharing_no_word_with_the_complaint_is_off_topic() -> None:
    reply = (
        "经查，该企业已依法办理营业执照和食品经营许可证，证照齐全，"
        "经营场所符合消防安全要求，从业人员均持有有效健康证明。"
    )

    assert judge_text(reply, LAMP_COMPLAINT).reasons == (OFF_TOPIC,)


def test_measures_and_the_time_the_citizen_was_contacted_are_required() -> None:
    reasons = check_reply(draft(measures="  ", contacted_citizen_at=None), LAMP_COMPLAINT)

    assert reasons == (MISSING_MEASURES, MISSING_CONTACT_TIME)


def test_solved_needs_evidence_but_cannot_be_solved_does_not() -> None:
    assert check_reply(draft(evidence_urls=()), LAMP_COMPLAINT) == (NO_EVIDENCE_FOR_SOLVED,)
    assert check_reply(draft(evidence_urls=(), result="cannot_be_solved"), LAMP_COMPLAINT) == ()
