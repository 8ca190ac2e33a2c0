"""The public board in real headless Chromium, on a phone-sized screen, JavaScript off.

The service runs under uvicorn in a thread with its real store, relays and consumer;
upstream events reach it through the real broker. A reader loads the board, searches,
opens a ticket, posts a comment and reads the league table.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from unit.publication.publication_broker import STAFF_KEYS_JSON, produce, wait_until
from unit.publication.publication_story import Story

from hotline.runtime.host import create_app
from hotline.settings import Settings
from services.publication.main import SPEC

from support import Broker, drop_schemas, free_port, make_settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def board_url(
    tmp_path: Path, broker: Broker, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Settings]]:
    monkeypatch.setenv("HOTLINE_API_KEYS", STAFF_KEYS_JSON)
    settings = make_settings("sqlite", tmp_path / "var", broker)
    port = free_port()
    config = uvicorn.Config(
        create_app(SPEC, settings), host="127.0.0.1", port=port, log_config=None, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, within=60)
    try:
        yield f"http://127.0.0.1:{port}", settings
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        drop_schemas(settings)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def test_a_reader_on_a_phone_searches_opens_comments_and_reads_the_league(
    board_url: tuple[str, Settings], browser: Browser, tmp_path: Path
) -> None:
    url, settings = board_url
    lamp, water = Story(), Story()
    produce(
        settings,
        *lamp.handled_well("我叫张大海，电话13800138000，小区路灯坏了三天"),
        water.received("自来水发黄有异味"),
        water.assigned("roads", unit_name="市交通局", category="道路"),
        water.escalated(level_number=2),
    )
    wait_until(lambda: httpx.get(f"{url}/public/api/tickets").json()["count"] == 2)
    page = browser.new_page(viewport=PHONE, java_script_enabled=False)

    page.goto(f"{url}/public/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("工单公开")
    expect(page.locator("article")).to_have_count(2)
    page.screenshot(path=str(tmp_path / "board-phone.png"), full_page=True)
    assert fits_the_screen(page)

    page.get_by_label("关键词").fill("路灯")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("article")).to_have_count(1)

    page.locator("article a").first.click()
    expect(page.get_by_text("我叫张**，电话138****8000，小区路灯坏了三天")).to_be_visible()
    expect(page.get_by_text("已办结").first).to_be_visible()
    assert "13800138000" not in page.content()

    page.get_by_label("发表点评").fill("处理得很及时，点赞")
    page.get_by_role("button", name="提交点评").click()
    expect(page.get_by_role("status")).to_contain_text("审核通过后显示")
    page.screenshot(path=str(tmp_path / "ticket-phone.png"), full_page=True)

    page.get_by_role("link", name="部门排行").click()
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("市水务局")
    expect(first_row).to_contain_text("100.0%")
    page.screenshot(path=str(tmp_path / "league-phone.png"), full_page=True)
    page.get_by_role("link", name="媒体曝光").click()
    expect(page.get_by_text("市交通局")).to_be_visible()


def fits_the_screen(page: Page) -> bool:
    """No sideways scrolling on a phone (measured by the test, not needed by the page)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= PHONE["width"])
