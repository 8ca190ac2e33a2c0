"""The Open311 public view shows what the citizen consented to, and never their numbers."""

from __future__ import annotations

from intake_builders import OPERATOR, complaint, new_app

from services.intake.public_view import RequestFilter, mask_numbers


def test_phone_and_id_numbers_in_public_text_are_masked() -> None:
    assert mask_numbers("请回电13800001234，身份证11010519491231002X") == "请回电****，身份证****"


def test_without_consent_only_the_area_and_status_are_public() -> None:
    app, keyring = new_app()
    ticket_id = app.submit(complaint(), keyring, OPERATOR).ticket_id
    app.request_view.catch_up(app)
    [row] = app.request_view.find(RequestFilter(ticket_ids=(str(ticket_id),)))
    assert row[2:7] == ("open", "open", None, None, "美兰区 海甸街道")


def test_with_consent_the_text_and_address_are_public_with_numbers_masked() -> None:
    app, keyring = new_app()
    text = "路灯坏了，电话13800001234，电费户号12345678"
    command = complaint(description=text, publication_consent=True)
    ticket_id = app.submit(command, keyring, OPERATOR).ticket_id
    app.request_view.catch_up(app)
    [row] = app.request_view.find(RequestFilter(ticket_ids=(str(ticket_id),)))
    assert (row[5], row[6]) == ("路灯坏了，电话[电话]，电费户号****", "海甸五西路28号")


def test_the_view_resumes_where_it_stopped_and_pages_newest_first() -> None:
    app, keyring = new_app()
    ids = [str(app.submit(complaint(), keyring, OPERATOR).ticket_id) for _ in range(3)]
    assert app.request_view.catch_up(app) == 3
    assert app.request_view.catch_up(app) == 0
    first_page = app.request_view.find(RequestFilter(page=1, page_size=2))
    second_page = app.request_view.find(RequestFilter(page=2, page_size=2))
    assert [row[0] for row in first_page + second_page] == list(reversed(ids))
