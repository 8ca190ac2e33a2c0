"""Property: personal data put into a complaint, a reply or a comment never comes out.

Generated valid ID numbers, mobile numbers, licence plates and e-mail addresses are
embedded in generated Chinese text; none of them may appear in any page, API answer,
the Atom feed, any event on `hotline.publication` or `hotline.public`, or the log.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from publication_story import IN_MEMORY, Story, board_app, deliver, staff

from contracts import serialize_event
from services.publication.application import PublicationApplication
from services.publication.masking import mask
from services.publication.masking_rules import id_check_character
from services.publication.translation import to_contract, to_public

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
chinese = st.text(alphabet=HAN | st.sampled_from("，。、！？："), max_size=20)
separator = st.text(alphabet=HAN | st.sampled_from("，。、！？："), min_size=1, max_size=20)
"""Between two values there is always some text: two numbers glued together are one number."""
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 659999))
    born = date(1930, 1, 1) + timedelta(days=draw(st.integers(0, 33000)))
    body = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + id_check_character(body)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    digits = f"1{draw(st.sampled_from('3456789'))}{draw(st.integers(0, 999_999_999)):09d}"
    sep = draw(st.sampled_from(["", " ", "-"]))
    return f"{digits[:3]}{sep}{digits[3:7]}{sep}{digits[7:]}"


@st.composite
def plates(draw: st.DrawFn) -> str:
    province = draw(
        st.sampled_from("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    )
    letter = draw(st.sampled_from(PLATE_LETTERS))
    if draw(st.booleans()):
        tail = draw(st.text(alphabet=PLATE_LETTERS + "0123456789", min_size=5, max_size=5))
    else:
        tail = draw(st.sampled_from("DF")) + f"{draw(st.integers(0, 99999)):05d}"
    return province + letter + tail


emails = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True),
    st.sampled_from(["com", "cn", "net", "org"]),
)
personal_values = st.lists(
    st.one_of(id_numbers(), mobiles(), plates(), emails), min_size=1, max_size=4
)


@st.composite
def texts_with_personal_data(draw: st.DrawFn) -> tuple[str, list[str]]:
    values = draw(personal_values)
    pieces = [draw(chinese)]
    for value in values:
        pieces += [value, draw(separator)]
    return "".join(pieces), values


def forms_of(value: str) -> set[str]:
    """The value as written and, for numbers, its bare digits."""
    bare = re.sub(r"[ -]", "", value)
    return {value, bare}


@given(texts_with_personal_data())
@settings(max_examples=200, deadline=None)
def test_the_masking_engine_leaves_none_of_the_values_in_its_output(
    case: tuple[str, list[str]],
) -> None:
    text, values = case

    masked = mask(text)

    assert not [form for value in values for form in forms_of(value) if form in masked]


@given(texts_with_personal_data(), texts_with_personal_data(), texts_with_personal_data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_page_api_feed_or_event_carries_the_values(
    complaint: tuple[str, list[str]],
    reply: tuple[str, list[str]],
    comment: tuple[str, list[str]],
) -> None:
    application = PublicationApplication(IN_MEMORY)
    story = Story()
    deliver(
        application,
        story.received(complaint[0] + "。"),
        story.assigned(),
        story.escalated(level_number=2),
        story.replied(reply[0] + "。"),
        story.rated(),
        story.closed(),
    )
    client = TestClient(board_app(application))
    posted = client.post(
        f"/public/api/tickets/{story.ticket_id}/comments", json={"text": comment[0] + "。"}
    )
    comment_id = posted.json()["comment_id"]
    client.post(
        f"/v1/publication/tickets/{story.ticket_id}/comments/{comment_id}/moderation",
        json={"decision": "approve"},
        headers=staff("hotline_centre"),
    )

    outputs = [
        client.get(path).text
        for path in (
            "/public/",
            f"/public/tickets/{story.ticket_id}",
            "/public/league",
            "/public/media",
            "/public/typical",
            "/public/feed.atom",
            "/public/api/tickets",
            f"/public/api/tickets/{story.ticket_id}",
            "/public/api/league",
            "/public/api/media",
            "/public/api/typical",
        )
    ]
    outputs.append(client.get("/v1/publication/comments", headers=staff("operator")).text)
    outputs += events_and_log(application)

    values = complaint[1] + reply[1] + comment[1]
    leaks = [form for value in values for form in forms_of(value) for out in outputs if form in out]
    assert not leaks
    assert any(story.ticket_id.hex[:8] in out for out in outputs[:2])


def events_and_log(application: PublicationApplication) -> list[str]:
    """Every event both relays would publish, and every stored event's raw state."""
    found: list[str] = []
    for notification in application.notifications_after(0, 10_000):
        found.append(notification.state.decode("utf-8", errors="replace"))
        domain_event = application.mapper.to_domain_event(notification)
        for translate in (to_contract, to_public):
            event = translate(domain_event, notification.id)
            if event is not None:
                found.append(serialize_event(event).decode("utf-8"))
    return found
