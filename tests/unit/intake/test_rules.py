"""What intake accepts as a phone number, an ID number, a URL and text."""

from __future__ import annotations

import pytest

from services.intake.rules import (
    check_id_number,
    check_url,
    clean_text,
    mask_personal_numbers,
    normalise_phone,
)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("13800001234", "13800001234"),
        ("138 0000 1234", "13800001234"),
        ("+8613800001234", "13800001234"),
        ("0898-66123456", "089866123456"),
        ("010-12345678-123", "01012345678-123"),
    ],
)
def test_mobiles_and_landlines_are_normalised_so_one_number_has_one_pseudonym(
    typed: str, normalised: str
) -> None:
    assert normalise_phone(typed) == normalised


@pytest.mark.parametrize("typed", ["123", "12800001234", "1380000123", "phone", "0898-123", ""])
def test_numbers_that_cannot_be_dialled_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="not a valid phone number"):
        normalise_phone(typed)


def test_an_id_number_with_the_right_check_digit_is_accepted_in_upper_case() -> None:
    assert check_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("110105194912310021", "check digit"),
        ("110105194902300023", "birth date"),
        ("1101051949123100", "18-character"),
        ("11010519491231002Y", "18-character"),
    ],
)
def test_id_numbers_with_a_wrong_check_digit_date_or_shape_are_refused(
    typed: str, why: str
) -> None:
    with pytest.raises(ValueError, match=why):
        check_id_number(typed)


@pytest.mark.parametrize(
    "url", ["ftp://x.cn/a.jpg", "javascript:alert(1)", "https://", "/a.jpg", "https://a b.cn/"]
)
def test_only_absolute_http_urls_with_a_host_are_accepted(url: str) -> None:
    with pytest.raises(ValueError):
        check_url(url)


def test_an_https_url_is_accepted_as_given() -> None:
    assert check_url("https://img.example.cn/a.jpg?x=1") == "https://img.example.cn/a.jpg?x=1"


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[31m", "\ud800"])
def test_control_characters_and_lone_surrogates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        clean_text(text)


def test_line_breaks_and_tabs_are_ordinary_text() -> None:
    assert clean_text("第一行\n\t第二行") == "第一行\n\t第二行"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13800001234请回", "电话[电话]请回"),
        ("+86 138-0000-1234", "[电话]"),
        ("座机0898-66123456", "座机[电话]"),
        ("身份证11010519491231002X", "身份证[身份证号]"),
        ("公交12路，门牌28号", "公交12路，门牌28号"),
        ("订单号2023112212345678901", "订单号2023112212345678901"),
    ],
)
def test_phone_and_id_numbers_typed_into_free_text_are_masked(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked
