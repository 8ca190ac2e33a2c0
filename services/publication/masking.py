"""The masking engine every public output goes through: pure functions, no I/O at call time.

Why one engine: the board, the JSON API, the Atom feed and the public stream must all
hide the same things the same way (PIPL). Detectors find spans of personal data;
overlaps are resolved in favour of the detector listed first (an 18-digit ID number
is not also a bank card), and each span is replaced by a readable form that keeps
what is harmless (138****1234, 张**, 琼A****5, 3**栋).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from services.publication.masking_rules import (
    id_check_character,
    is_luhn_valid,
    plausible_birth_date,
)

SURNAMES_FILE = Path(__file__).parent / "data" / "surnames.txt"
HAN = "\u4e00-\u9fff"


@dataclass(frozen=True, order=True)
class Span:
    """A piece of personal data found in a text: [start, end) and what kind it is."""

    start: int
    end: int
    kind: str


# --- numbers -------------------------------------------------------------------------

_DIGITS_ONLY = re.compile(r"\D")
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID_15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_BANK_CARD = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4,7}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?![0-9A-Za-z])")
_LANDLINE_WITH_AREA = re.compile(
    r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[ -]?)[2-9]\d{2,3}[ -]?\d{4}"
    r"(?:[-转]\d{1,5})?(?![0-9A-Za-z])"
)
_LANDLINE_BARE = re.compile(r"(?<![0-9A-Za-z.])[2-9]\d{6,7}(?![0-9A-Za-z.])")
_NOT_A_PHONE_AFTER = re.compile(r"\s*(?:元|块|万|年|米|平|吨|斤|公里|次|人|个|kg|km|m²)")
_SERVICE_LINE_PREFIXES = ("400", "800", "95", "96")
_PUBLIC_BODY_BEFORE = re.compile(
    r"(?:局|中心|办|院|队|热线|(?<![居住])所)的?(?:电话|号码|客服)?[:：]?[（(]?[0-9,，、\s-]*$"
)

# --- plates ----------------------------------------------------------------------------

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(
    rf"[{_PROVINCES}][A-HJ-NP-Za-hj-np-z][·.\s]?(?:[A-HJ-NP-Za-hj-np-z0-9]{{5,6}})"
    r"(?![A-Za-z0-9])"
)

# --- online ids --------------------------------------------------------------------

_WECHAT = re.compile(
    r"(?:微信号?|微信ID|wechat|WeChat|vx|VX|wx|WX)\s*(?:号码?|ID|id)?\s*[:：是为]?\s*"
    r"(?P<id>[A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})(?![-_A-Za-z0-9])"
)
_QQ = re.compile(r"(?:QQ|qq|Qq)\s*(?:号码?)?\s*[:：是为]?\s*(?P<id>[1-9]\d{4,11})(?!\d)")

# --- addresses ---------------------------------------------------------------------

_BUILDING = r"(?:[0-9A-Za-z]{1,4}|[一二三四五六七八九十]{1,3})(?:栋|幢|座|号楼)"
_UNIT = r"(?:[0-9]{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3})单元"
_FLOOR = r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})(?:层|楼)"
_ROOM = r"(?:[0-9]{2,4}(?:[-—][0-9]{1,4})?|[0-9]{1,4}[A-Za-z])(?:室|房|号房|号)?"
_OFFICE_BUILDINGS = r"(?<!大厦)(?<!广场)(?<!中心)(?<!酒店)(?<!大楼)(?<!商场)(?<!写字楼)"
_NOT_A_HOME_AFTER = re.compile(r".{0,2}(?:商铺|铺面|门面|商业|店)")
_NOT_A_HOME_BEFORE = re.compile(r"(?:局|中心|大厅|政府|办|所|院|站)$")
_HOUSE_NUMBERS = re.compile(
    rf"(?<![0-9A-Za-z]){_OFFICE_BUILDINGS}"
    rf"(?:{_BUILDING}(?:{_UNIT})?(?:{_FLOOR})?(?:{_ROOM})?|{_UNIT}(?:{_FLOOR}|{_ROOM})?"
    r"|(?:[0-9]{1,3}[-—])?[0-9]{1,3}[A-Za-z]?[0-9]{2,4}(?:室|房|号房))"
    r"(?:(?<![0-9])|(?![0-9]))"
)
_LANE_NUMBER = re.compile(
    r"(?<=[巷里弄坊队组村])[0-9]{1,4}(?:[-—][0-9]{1,4})?号(?:[0-9]{1,4}(?:室|房))?"
)

# --- names -------------------------------------------------------------------------

_NAME_CUES = (
    r"(?:我叫|本人叫|名叫|叫做|名字叫|姓名[:：为是]?|名字[:：是为]|户主[:：]?|户名[:：]?|联系人[:：]?|"
    r"法人代表[:：为是]?|法定代表人[:：为是]?|法人[:：为是]?)"
)
_ROLES = (
    r"(?:负责人|经理|老板娘|老板|司机|师傅|业主|房东|店主|主任|书记|村长|队长|组长|站长|所长|"
    r"校长|老师|医生|律师|保安|民警|警官|工作人员|管理员|网格员|当事人|租客|承包人|包工头|"
    r"父亲|母亲|丈夫|妻子|儿子|女儿|哥哥|姐姐|弟弟|妹妹|弟媳|嫂子|朋友|同事|邻居|老人)"
)
_FUNCTION_WORD_SURNAMES = frozenset(
    "于向万文方高常石云龙金江白和从单项关车安全连商习解查简管宁包华米房甘左谷池沙庄植练何"
)
"""Surnames that also start everyday words (高中, 项目): not trusted without a clear cue."""
_TITLES_AFTER_NAME = r"(?:老板|老师|经理|医生|律师|校长|主任|书记|村长|所长|站长|队长)"
_PLACE_ENDINGS = "学校村院局厂司店区镇场园部所站馆中组班队办市县省"
"""A word before a title that ends like a place (新管小学校长) is the place, not a name."""
_NAME_STOP = (
    "的了在是于和与及等说称表要向到把被给从为对因已也都就还又叫姓先女师老经来反映电牌号话机证"
)


class Detector:
    """Finds one kind of personal data."""

    kind: str

    def find(self, text: str) -> Iterator[Span]:
        raise NotImplementedError


@dataclass(frozen=True)
class PatternDetector(Detector):
    """A regular expression, optionally confirmed by a check on the matched digits."""

    kind: str
    pattern: re.Pattern[str]
    accept: Callable[[str, re.Match[str]], bool] = lambda text, match: True
    group: str | int = 0

    def find(self, text: str) -> Iterator[Span]:
        for match in self.pattern.finditer(text):
            if self.accept(text, match):
                yield Span(match.start(self.group), match.end(self.group), self.kind)


def _valid_id_18(_text: str, match: re.Match[str]) -> bool:
    value = match.group().upper()
    return id_check_character(value[:17]) == value[17] and plausible_birth_date(value[6:14])


def _valid_id_15(_text: str, match: re.Match[str]) -> bool:
    return plausible_birth_date("19" + match.group()[6:12])


def _valid_bank_card(_text: str, match: re.Match[str]) -> bool:
    digits = _DIGITS_ONLY.sub("", match.group())
    return 16 <= len(digits) <= 19 and is_luhn_valid(digits)


def _valid_mobile(_text: str, match: re.Match[str]) -> bool:
    digits = _DIGITS_ONLY.sub("", match.group())
    return len(digits) in (11, 13)


def _a_home(text: str, match: re.Match[str]) -> bool:
    """Building, unit and room numbers of shops and public offices do not point at a person."""
    return (
        _NOT_A_HOME_AFTER.match(text, match.end()) is None
        and _NOT_A_HOME_BEFORE.search(text, max(0, match.start() - 4), match.start()) is None
    )


def _personal_landline(text: str, match: re.Match[str]) -> bool:
    """A public body's published number (派出所（68662144）) is not personal data."""
    return _PUBLIC_BODY_BEFORE.search(text, max(0, match.start() - 40), match.start()) is None


def _valid_landline(text: str, match: re.Match[str]) -> bool:
    """A bare 7–8 digit number is a phone unless it reads as a date, amount or service line."""
    value = match.group()
    if value.startswith(_SERVICE_LINE_PREFIXES) or _looks_like_date(value):
        return False
    return _NOT_A_PHONE_AFTER.match(text, match.end()) is None and _personal_landline(text, match)


def _looks_like_date(value: str) -> bool:
    """20180102, or 2018210 (2018-2-10): a day written without separators."""
    if len(value) not in (7, 8) or not value.startswith(("19", "20")):
        return False
    rest = value[4:]
    splits = (
        [(rest[:2], rest[2:])] if len(rest) == 4 else [(rest[:1], rest[1:]), (rest[:2], rest[2:])]
    )
    return any(_is_day(value[:4], month, day) for month, day in splits)


def _is_day(year: str, month: str, day: str) -> bool:
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


class NameDetector(Detector):
    """Personal names found by context: 我叫…, 姓名：…, 负责人（…）, 姓…名…."""

    kind = "name"

    def __init__(self, surnames: tuple[str, ...]) -> None:
        ordered = sorted(surnames, key=len, reverse=True)
        surname = "|".join(re.escape(name) for name in ordered)
        given = rf"[{HAN}]{{1,2}}"
        self._after_cue = re.compile(rf"{_NAME_CUES}\s*(?P<name>(?:{surname}){given})")
        self._after_role = re.compile(
            rf"{_ROLES}\s*[（(：:]\s*(?:[0-9 -]{{5,}}\s*)?(?P<name>(?:{surname}){given})\s*[)）]?"
        )
        plain = "|".join(re.escape(name) for name in ordered if name not in _FUNCTION_WORD_SURNAMES)
        self._right_after_role = re.compile(
            rf"(?:经理|老板|主任|书记|村长|校长|所长|站长|包工头|负责人|司机)(?P<name>(?:{plain}){given})"
        )
        self._before_title = re.compile(
            rf"(?P<name>(?:{plain}){given}(?<![{_PLACE_ENDINGS}])){_TITLES_AFTER_NAME}"
        )
        item = rf"(?:{plain})[{HAN}]{{1,2}}"
        self._name_list = re.compile(rf"(?<![{HAN}])(?:{item}[，、]){{2,}}{item}(?![{HAN}])")
        self._surname_then_given = re.compile(
            rf"姓(?P<name>(?:{surname}))[，,]?\s*名(?P<given>{given})"
        )
        self._surnames = frozenset(ordered)

    def find(self, text: str) -> Iterator[Span]:
        patterns = (self._after_cue, self._after_role, self._right_after_role, self._before_title)
        for pattern in patterns:
            for match in pattern.finditer(text):
                start, end = self._trimmed(text, match.start("name"), match.end("name"))
                if end - start >= 2:
                    yield Span(start, end, self.kind)
        for listed in self._name_list.finditer(text):
            for name in re.finditer(r"[^，、]+", listed.group()):
                yield Span(listed.start() + name.start(), listed.start() + name.end(), self.kind)
        for match in self._surname_then_given.finditer(text):
            yield Span(match.start("given"), match.end("given"), "given_name")

    def _trimmed(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Cut the candidate at the first character that does not belong in a name."""
        surname_length = 2 if text[start : start + 2] in self._surnames else 1
        cut = start + surname_length
        while cut < end and text[cut] not in _NAME_STOP:
            cut += 1
        return start, cut


@cache
def load_surnames(path: Path = SURNAMES_FILE) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(dict.fromkeys(line.strip() for line in lines if line and not line.startswith("#")))


@cache
def default_detectors() -> tuple[Detector, ...]:
    """Detectors in priority order: on overlap, the earlier one wins."""
    return (
        PatternDetector("email", _EMAIL),
        PatternDetector("id_number", _ID_18, _valid_id_18),
        PatternDetector("bank_card", _BANK_CARD, _valid_bank_card),
        PatternDetector("id_number", _ID_15, _valid_id_15),
        PatternDetector("wechat", _WECHAT, group="id"),
        PatternDetector("qq", _QQ, group="id"),
        PatternDetector("mobile", _MOBILE, _valid_mobile),
        PatternDetector("landline", _LANDLINE_WITH_AREA, _personal_landline),
        PatternDetector("landline", _LANDLINE_BARE, _valid_landline),
        PatternDetector("plate", _PLATE),
        NameDetector(load_surnames()),
        PatternDetector("address", _HOUSE_NUMBERS, _a_home),
        PatternDetector("address", _LANE_NUMBER),
    )


def find_personal_data(text: str, detectors: tuple[Detector, ...] | None = None) -> list[Span]:
    """Every non-overlapping span of personal data in `text`, in text order."""
    taken: list[Span] = []
    for detector in detectors or default_detectors():
        for span in detector.find(text):
            if span.end > span.start and not any(_overlaps(span, kept) for kept in taken):
                taken.append(span)
    return sorted(taken)


def mask(text: str) -> str:
    """`text` with every piece of personal data replaced by its readable masked form."""
    pieces: list[str] = []
    cursor = 0
    for span in find_personal_data(text):
        pieces.append(text[cursor : span.start])
        pieces.append(masked_form(text[span.start : span.end], span.kind))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def masked_form(value: str, kind: str) -> str:
    """The readable replacement of one value: shows its kind, hides what identifies."""
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[0]}***@{domain}"
    if kind == "plate":
        return value[:2] + "*" * (len(value) - 3) + value[-1]
    if kind == "name":
        surname_length = 2 if value[:2] in load_surnames() else 1
        return value[:surname_length] + "**"
    if kind == "given_name":
        return "**"
    if kind == "address":
        return re.sub(r"[0-9A-Za-z一二三四五六七八九十]", "*", value)
    if kind == "landline":
        extension = _EXTENSION.search(value)
        cut = extension.start() if extension else len(value)
        return _star_last_digits(value[:cut], 4) + value[cut:]
    characters = value if kind in ("wechat", "qq") else re.sub(r"[^0-9Xx]", "", value)
    return _keep_ends(characters, kind)


_EXTENSION = re.compile(r"(?<=\d{7})[-转]\d{1,5}$")
_KEEP = {"mobile": (3, 4), "id_number": (3, 4), "bank_card": (4, 4)}


def _star_last_digits(value: str, count: int) -> str:
    """Why: a landline's area code and exchange say only where, the last digits say who."""
    characters = list(value)
    for index in range(len(characters) - 1, -1, -1):
        if count and characters[index].isdigit():
            characters[index] = "*"
            count -= 1
    return "".join(characters)


def _keep_ends(value: str, kind: str) -> str:
    head, tail = _KEEP.get(kind, (1, 0))
    if len(value) <= head + tail + 2:
        head, tail = 1, 0
    if kind == "mobile" and len(value) == 13:  # with the 86 country code
        value = value[2:]
    return value[:head] + "*" * (len(value) - head - tail) + (value[-tail:] if tail else "")


def _overlaps(one: Span, other: Span) -> bool:
    return one.start < other.end and other.start < one.end
