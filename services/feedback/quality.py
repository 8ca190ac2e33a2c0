"""The reply quality check (答复质量审核): is this a real answer, or boilerplate?

Pure functions, no I/O. Three text signals, each a reason to reject (驳回重办):

* ``empty_formula`` — once greetings, acknowledgements (已收悉), thanks, forwarding notes
  (已转交…), dates and quoted restatements of the complaint are removed, almost nothing
  is left: the reply says nothing about the matter (官话套话).
* ``near_copy`` — what is left is nearly the same as one of the unit's earlier accepted
  replies to other tickets (character 3-gram Jaccard similarity).
* ``off_topic`` — the reply mentions too few of the complaint's key words (jieba
  TF-IDF keywords), so it does not address what the citizen asked.

The thresholds were chosen on the labelled real replies (see docs/feedback.md);
`hotline feedback evaluate-quality` measures them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import jieba
import jieba.analyse

jieba.setLogLevel(logging.WARNING)

MIN_SUBSTANCE_CHARS = 40
"""Fewer Chinese characters of substance than this is an empty formula."""
NEAR_COPY_SIMILARITY = 0.7
"""Jaccard similarity of 3-gram sets at or above which a reply is a near-copy."""
MIN_KEYWORD_COVERAGE = 0.05
"""Share of the complaint's keywords the reply must mention (below it: none of ten)."""
OFF_TOPIC_MAX_CHARS = 60
"""Only a short reply is judged off-topic on keywords alone: long answers often use
their own vocabulary (measured: the keyword test alone flags too many real answers)."""
KEYWORDS_PER_COMPLAINT = 10
SHINGLE_SIZE = 3
SAME_COMPLAINT_SIMILARITY = 0.5
"""Complaints at least this similar (3-gram Jaccard) count as the same problem."""
SAME_PROBLEM_KEYWORD_SHARE = 0.5
"""…as do complaints where this share of one's keywords appears in the other."""

EMPTY_FORMULA = "empty_formula"
NEAR_COPY = "near_copy"
OFF_TOPIC = "off_topic"

_FORMULA_PATTERNS: tuple[str, ...] = (
    r"“[^”]{0,60}”",  # quoted user names and restated complaint titles
    r"\"[^\"]{0,60}\"",
    r"网友|市民|同志|领导",
    r"您好|你好",
    r"(您|你)?(的|所)?(在[^，。！]{0,20})?(留言|来信|来邮|函件|网帖|帖子|反映的问题|诉求)?(我们)?(已|均已)?(收悉|获悉|阅办|收到)",
    r"现(将|就)?[^，。！：]{0,20}(回复|答复)如下",
    r"(特此|现作)?(回复|答复)(如下)?",
    r"感谢[^。！]{0,40}(关心|支持|关注|监督|理解|信任|问政|来信)[^。！]{0,10}",
    r"(已|现已)?(转交|转至|转由|转给|转到|交由|移交)[^，。！]{0,25}",
    r"\d{4}年\d{1,2}月\d{1,2}日?",
    r"\d{1,2}月\d{1,2}日",
    r"如(您|你)?(对|有)[^。！]{0,40}(联系|咨询)[^。！]{0,30}",
    r"联系电话[:：]?[0-9\-]+",
    r"(首先|再次|非常|十分|高度)?重视",
    r"(首先|再次|非常)",
    r"敬请(留意|关注)[^。！]{0,15}",
    r"祝(您|你)[^。！]{0,10}",
    r"(有关|相关)(部门|单位|科室)(进行)?(调查|核实|处理|核处|办理|办复|答复|反馈|予以)*",
    r"(如有|一有)[^。！]{0,8}(情况|消息)[^。！]{0,8}(回复|反馈|告知)",
    r"(请)?耐心等待",
    r"谢谢|多谢",
)
_FORMULA = re.compile("|".join(f"(?:{pattern})" for pattern in _FORMULA_PATTERNS))
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ASCII_ONLY = re.compile(r"^[0-9A-Za-z._\-]+$")


@dataclass(frozen=True)
class TextVerdict:
    """What the boilerplate detector found, with the measurements behind it."""

    reasons: tuple[str, ...]
    substance_chars: int
    best_copy_similarity: float
    keyword_coverage: float | None

    @property
    def is_boilerplate(self) -> bool:
        return bool(self.reasons)


def substance(reply: str) -> str:
    """The reply with its formulas removed: what it actually says about the matter."""
    return _FORMULA.sub("", reply)


def substance_chars(reply: str) -> int:
    return len(_HAN.findall(substance(reply)))


def shingles(text: str) -> frozenset[str]:
    """Character 3-grams of the Chinese characters and digits, ignoring punctuation."""
    compact = "".join(ch for ch in text if ch.isalnum())
    if len(compact) < SHINGLE_SIZE:
        return frozenset({compact}) if compact else frozenset()
    return frozenset(compact[i : i + SHINGLE_SIZE] for i in range(len(compact) - SHINGLE_SIZE + 1))


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


@dataclass(frozen=True)
class EarlierReply:
    """A reply the unit gave before, with the complaint it answered."""

    reply_shingles: frozenset[str]
    complaint: str
    complaint_shingles: frozenset[str]

    @classmethod
    def of(cls, reply: str, complaint: str | None) -> EarlierReply:
        text = complaint or ""
        return cls(shingles(substance(reply)), text, shingles(text))


def same_problem(complaint: str | None, earlier: EarlierReply) -> bool:
    """Whether two complaints are about the same matter: near-identical text, or most of
    this complaint's keywords appear in the earlier one (the same problem reported by
    someone else, which routing would merge)."""
    if not complaint:
        return False
    if jaccard(shingles(complaint), earlier.complaint_shingles) >= SAME_COMPLAINT_SIMILARITY:
        return True
    keywords = complaint_keywords(complaint)
    shared = sum(1 for word in keywords if word in earlier.complaint)
    return bool(keywords) and shared / len(keywords) >= SAME_PROBLEM_KEYWORD_SHARE


def best_copy_similarity(
    reply: str, complaint: str | None, earlier_replies: Sequence[EarlierReply]
) -> float:
    """Highest near-copy similarity (0 below the threshold) to an earlier reply to
    another problem.

    An earlier reply to the same problem is skipped: a citizen who reports the same
    problem again, or a neighbour reporting it too, may rightly get the same answer.
    """
    mine = shingles(substance(reply))
    similarities = (jaccard(mine, other.reply_shingles) for other in earlier_replies)
    candidates = [
        (similarity, other)
        for similarity, other in zip(similarities, earlier_replies, strict=True)
        if similarity >= NEAR_COPY_SIMILARITY
    ]
    return max((s for s, other in candidates if not same_problem(complaint, other)), default=0.0)


@lru_cache(maxsize=4096)
def complaint_keywords(complaint: str) -> tuple[str, ...]:
    """The complaint's most telling words (jieba TF-IDF), without bare codes or numbers."""
    tags: list[str] = jieba.analyse.extract_tags(complaint, topK=KEYWORDS_PER_COMPLAINT * 2)
    meaningful = [tag for tag in tags if len(tag) >= 2 and not _ASCII_ONLY.match(tag)]
    return tuple(meaningful[:KEYWORDS_PER_COMPLAINT])


def keyword_coverage(reply: str, complaint: str) -> float | None:
    """Share of the complaint's keywords the reply mentions; None when there are none."""
    keywords = complaint_keywords(complaint)
    if not keywords:
        return None
    return sum(1 for word in keywords if word in reply) / len(keywords)


def judge_text(
    reply: str, complaint: str | None, earlier_replies: Sequence[EarlierReply] = ()
) -> TextVerdict:
    """The boilerplate verdict on a reply text, given the complaint and the unit's history."""
    chars = substance_chars(reply)
    similarity = best_copy_similarity(reply, complaint, earlier_replies) if chars else 0.0
    coverage = keyword_coverage(reply, complaint) if complaint else None
    reasons: list[str] = []
    if chars < MIN_SUBSTANCE_CHARS:
        reasons.append(EMPTY_FORMULA)
    elif similarity >= NEAR_COPY_SIMILARITY:
        reasons.append(NEAR_COPY)
    if (
        coverage is not None
        and coverage < MIN_KEYWORD_COVERAGE
        and MIN_SUBSTANCE_CHARS <= chars < OFF_TOPIC_MAX_CHARS
    ):
        reasons.append(OFF_TOPIC)
    return TextVerdict(tuple(reasons), chars, similarity, coverage)


MISSING_MEASURES = "missing_measures"
MISSING_CONTACT_TIME = "missing_contact_time"
NO_EVIDENCE_FOR_SOLVED = "no_evidence_for_solved"


@dataclass(frozen=True)
class ReplyDraft:
    """What the unit submitted, as far as the quality check is concerned."""

    result: str
    public_reply: str
    measures: str | None
    evidence_urls: tuple[str, ...]
    contacted_citizen_at: datetime | None


def check_reply(
    draft: ReplyDraft, complaint: str | None, earlier_replies: Sequence[EarlierReply] = ()
) -> tuple[str, ...]:
    """Every reason to reject the reply (驳回重办); empty when it may be accepted."""
    reasons: list[str] = []
    if not (draft.measures or "").strip():
        reasons.append(MISSING_MEASURES)
    if draft.contacted_citizen_at is None:
        reasons.append(MISSING_CONTACT_TIME)
    if draft.result == "solved" and not draft.evidence_urls:
        reasons.append(NO_EVIDENCE_FOR_SOLVED)
    reasons.extend(judge_text(draft.public_reply, complaint, earlier_replies).reasons)
    return tuple(reasons)
