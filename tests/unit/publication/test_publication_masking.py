"""The masking engine hides what identifies a person and keeps what the public needs."""

from __future__ import annotations

import pytest

from services.publication.masking import find_personal_data, mask
from services.publication.masking_rules import id_check_character, luhn_check_digit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13800138000", "电话138****8000"),
        ("电话138 0013 8000", "电话138****8000"),
        ("电话138-0013-8000", "电话138****8000"),
        ("电话+86 138-0013-8000。", "电话138****8000。"),
    ],
)
def test_mobile_numbers_keep_their_first_three_and_last_four_digits(
    text: str, expected: str
) -> None:
    assert mask(text) == expected


def test_landlines_keep_the_area_code_and_hide_the_last_four_digits() -> None:
    assert mask("店里电话0898-66668888转123") == "店里电话0898-6666****转123"
    assert mask("该店电话68601516，") == "该店电话6860****，"


@pytest.mark.parametrize(
    "text",
    [
        "已移交到海秀派出所（68662144）",
        "社保局的电话66793359,66272243一直打不通",
        "社保代办所66973200每次拨打无人接听",
    ],
)
def test_a_public_bodys_number_stays_readable(text: str) -> None:
    assert mask(text) == text


def test_a_number_after_a_home_is_still_personal() -> None:
    assert mask("我的住所电话66973200") == "我的住所电话6697****"


def test_dates_amounts_and_work_order_numbers_are_not_phone_numbers() -> None:
    text = "工单号20180103141721，于20180102报修，计划于2018210交房，赔偿5000000元"

    assert mask(text) == text


def test_an_id_number_is_masked_only_when_its_check_digit_is_right() -> None:
    valid = "11010519491231002" + id_check_character("11010519491231002")
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")

    assert mask(f"身份证{valid}") == f"身份证110***********{valid[-4:]}"
    assert mask(f"编号{wrong}") == f"编号{wrong}"


def test_an_old_fifteen_digit_id_number_with_a_real_birth_date_is_masked() -> None:
    assert mask("旧证号110105491231002号") == "旧证号110********1002号"


def test_a_bank_card_is_masked_only_when_it_passes_luhn() -> None:
    card = "622202123456789" + luhn_check_digit("622202123456789")
    not_card = card[:-1] + str((int(card[-1]) + 1) % 10)

    assert mask(f"卡号{card}") == f"卡号6222********{card[-4:]}"
    assert mask(f"卡号{card[:4]} {card[4:8]} {card[8:12]} {card[12:]}") == (
        f"卡号6222********{card[-4:]}"
    )
    assert mask(f"单号{not_card}") == f"单号{not_card}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("车牌琼A12345违停", "车牌琼A****5违停"),
        ("车牌琼Avs021挡路", "车牌琼A****1挡路"),
        ("新能源车琼AD12345", "新能源车琼A*****5"),
        ("（琼A 29982)堵住", "（琼A*****2)堵住"),
    ],
)
def test_licence_plates_keep_province_letter_and_last_character(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_email_wechat_and_qq_ids_are_masked() -> None:
    text = "邮箱zhang.san@example.com，微信号wxid_abc123，QQ号12345678"

    assert mask(text) == "邮箱z***@example.com，微信号w**********，QQ号1*******"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我叫张大海，住在附近", "我叫张**，住在附近"),
        ("身份证（姓名：利玉姑）丢了", "身份证（姓名：利**）丢了"),
        ("校长（李海明）利用职务之便", "校长（李**）利用职务之便"),
        ("部门经理齐凤志私下发邮件", "部门经理齐**私下发邮件"),
        ("姓王，名小明", "姓王，名**"),
        ("我叫欧阳娜娜的", "我叫欧阳**的"),
        ("开发商和王荣华老板打官司", "开发商和王**老板打官司"),
        ("向司机卢文俊咨询", "向司机卢**咨询"),
        ("宿舍网络（户名：毛永强）", "宿舍网络（户名：毛**）"),
        ("公司法人为梁晓，", "公司法人为梁**，"),
        ("联名：陈学伟，黄立丰，王小燕。", "联名：陈**，黄**，王**。"),
    ],
)
def test_names_found_by_context_keep_only_the_surname(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_a_surname_with_a_title_or_a_place_before_a_title_is_left_alone() -> None:
    text = "张先生和黄部长都到了现场，新管小学校长说项目经理和司机关机了"

    assert mask(text) == text


def test_addresses_keep_district_street_and_community_but_not_building_or_room() -> None:
    text = "龙华区金贸街道滨濂社区海景花园3栋2单元1009房漏水"

    assert mask(text) == "龙华区金贸街道滨濂社区海景花园*栋*单元****房漏水"


def test_a_house_number_in_a_lane_or_village_is_masked_but_not_a_road_number() -> None:
    assert mask("丁村六巷573号门前") == "丁村六巷***号门前"
    assert mask("金龙路2号友谊阳光城") == "金龙路2号友谊阳光城"


def test_floors_and_office_blocks_are_not_personal() -> None:
    text = "国贸大厦A座二楼有噪音，240户业主受影响"

    assert mask(text) == text


def test_overlapping_findings_keep_the_more_specific_kind() -> None:
    valid = "46000019900101001" + id_check_character("46000019900101001")

    kinds = [span.kind for span in find_personal_data(f"证件{valid}")]

    assert kinds == ["id_number"]
