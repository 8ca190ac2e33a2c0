"""The Atom feed (RFC 4287) of aired tickets, for readers and aggregators.

Built with the standard library's ElementTree, which escapes text itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree

from services.publication.board import TicketView
from services.publication.presenters import RESULT_LABELS, STATUS_LABELS

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:uuid:0f1c8a7e-12a4-5e6f-9b3c-12345abcdef0"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def atom_feed(views: Sequence[TicketView], base_url: str) -> bytes:
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", FEED_ID)
    _text(feed, "title", "12345热线 · 工单公开")
    _text(feed, "updated", max((_updated(v) for v in views), default=EPOCH).isoformat())
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", href=f"{base_url}public/feed.atom", rel="self")
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "12345热线")
    for view in views:
        feed.append(_entry(view, base_url))
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _entry(view: TicketView, base_url: str) -> ElementTree.Element:
    entry = ElementTree.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", f"urn:uuid:{view.ticket_id}")
    status = STATUS_LABELS.get(view.status, view.status)
    _text(entry, "title", f"【{view.category or '其他'}】{view.unit_name or '待派单'} · {status}")
    _text(entry, "updated", _updated(view).isoformat())
    link = f"{base_url}public/tickets/{view.ticket_id}"
    ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=link, rel="alternate")
    if view.category:
        ElementTree.SubElement(entry, f"{{{ATOM}}}category", term=view.category)
    body = view.masked_description or ""
    if view.masked_reply:
        body += f"\n答复（{RESULT_LABELS.get(view.reply_result or '', '')}）：{view.masked_reply}"
    content = _text(entry, "content", body)
    content.set("type", "text")
    return entry


def _updated(view: TicketView) -> datetime:
    times = [step.at for step in view.steps] + ([view.received_at] if view.received_at else [])
    return max(times, default=EPOCH)


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element
