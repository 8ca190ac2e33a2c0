"""Comments (网民点评): masked, held for moderation, shown only once approved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from publication_story import IN_MEMORY, Story, deliver

from contracts import PublicCommentApproved
from services.publication.application import PublicationApplication
from services.publication.domain import PublicationError
from services.publication.translation import to_public

NOW = datetime(2026, 10, 9, 8, 0, tzinfo=UTC)


def aired() -> tuple[PublicationApplication, Story]:
    app = PublicationApplication(IN_MEMORY)
    story = Story()
    deliver(app, story.received(), story.assigned())
    return app, story


def test_a_comment_is_masked_and_waits_for_moderation() -> None:
    app, story = aired()

    comment_id = app.post_comment(story.ticket_id, "我家也这样，联系我13800138000", NOW)

    listing = app.listing(story.ticket_id)
    assert listing is not None
    assert listing.comments[comment_id].masked_text == "我家也这样，联系我138****8000"
    assert listing.comments[comment_id].status == "pending"
    assert listing.approved_comments() == []


def test_an_approved_comment_is_shown_and_goes_out_on_the_public_stream() -> None:
    app, story = aired()
    comment_id = app.post_comment(story.ticket_id, "处理得很及时", NOW)

    app.moderate_comment(story.ticket_id, comment_id, approve=True, at=NOW)

    listing = app.listing(story.ticket_id)
    assert listing is not None
    assert [c.masked_text for c in listing.approved_comments()] == ["处理得很及时"]
    public = [
        to_public(app.mapper.to_domain_event(n), n.id) for n in app.notifications_after(0, 99)
    ]
    approved = [e for e in public if isinstance(e, PublicCommentApproved)]
    assert [e.masked_text for e in approved] == ["处理得很及时"]


def test_a_rejected_comment_is_never_shown() -> None:
    app, story = aired()
    comment_id = app.post_comment(story.ticket_id, "广告内容", NOW)

    app.moderate_comment(story.ticket_id, comment_id, approve=False, at=NOW)

    listing = app.listing(story.ticket_id)
    assert listing is not None and listing.approved_comments() == []


def test_a_comment_is_moderated_once() -> None:
    app, story = aired()
    comment_id = app.post_comment(story.ticket_id, "好", NOW)
    app.moderate_comment(story.ticket_id, comment_id, approve=True, at=NOW)

    with pytest.raises(PublicationError) as raised:
        app.moderate_comment(story.ticket_id, comment_id, approve=False, at=NOW)

    assert raised.value.code == "conflict"


def test_a_ticket_that_is_not_aired_takes_no_comments() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()
    deliver(app, story.received(publication_consent=False), story.assigned())

    with pytest.raises(PublicationError) as raised:
        app.post_comment(story.ticket_id, "评论", NOW)

    assert raised.value.code == "not_found"
