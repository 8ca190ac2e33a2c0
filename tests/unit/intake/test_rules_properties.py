"""Properties of the number rules, over many generated numbers."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from services.intake.query_code import ALPHABET, LENGTH, matches, new_query_code, query_code_digest
from services.intake.rules import check_id_number, normalise_phone

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
birth_dates = st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.strftime("%Y%m%d"))
id_bodies = st.builds(
    lambda area, born, serial: area + born + serial,
    st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
    birth_dates,
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


def check_char(body: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@given(mobiles, st.sampled_from(["", "+86", "0086"]), st.sampled_from(["", " "]))
def test_a_mobile_is_the_same_number_with_any_prefix_or_spacing(
    mobile: str, prefix: str, space: str
) -> None:
    typed = prefix + mobile[:3] + space + mobile[3:7] + space + mobile[7:]
    assert normalise_phone(typed) == mobile
    assert normalise_phone(normalise_phone(typed)) == mobile


@given(id_bodies)
def test_every_id_with_its_check_digit_is_accepted(body: str) -> None:
    assert check_id_number(body + check_char(body)) == body + check_char(body)


@given(id_bodies, st.sampled_from(list(CHECK)))
def test_every_other_check_digit_is_refused(body: str, wrong: str) -> None:
    assume(wrong != check_char(body))
    with pytest.raises(ValueError, match="check digit"):
        check_id_number(body + wrong)


@given(st.uuids())
def test_a_query_code_opens_its_own_ticket_and_no_other(ticket_id: object) -> None:
    code = new_query_code()
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    digest = query_code_digest(ticket_id, code)  # type: ignore[arg-type]
    assert matches(ticket_id, code.lower(), digest)  # type: ignore[arg-type]
    assert not matches(ticket_id, new_query_code(), digest)  # type: ignore[arg-type]
