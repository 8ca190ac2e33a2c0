"""District and street are read from the address text with the gazetteer."""

from __future__ import annotations

from services.routing.gazetteer import Location, load_gazetteer

GAZETTEER = load_gazetteer()


def test_a_street_office_in_the_text_gives_street_and_district() -> None:
    assert GAZETTEER.resolve("海甸街道五西路一小区门口") == Location("美兰区", "海甸街道")


def test_a_town_by_its_short_name_gives_its_district() -> None:
    assert GAZETTEER.resolve("长流的一个村子停水") == Location("秀英区", "长流镇")


def test_a_name_two_districts_share_settles_nothing() -> None:
    assert GAZETTEER.resolve("海秀有人占道") == Location(None, None)


def test_a_district_alone_is_kept() -> None:
    assert GAZETTEER.resolve("琼山区某路段积水") == Location("琼山区", None)


def test_what_intake_said_is_never_contradicted() -> None:
    assert GAZETTEER.complete("龙华区", None, "海甸岛上") == Location("龙华区", None)
    assert GAZETTEER.complete("美兰区", None, "海甸岛上") == Location("美兰区", "海甸街道")
