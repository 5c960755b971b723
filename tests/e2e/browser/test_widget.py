"""The chat widget in real headless Chromium against the real assistant (issue #13)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, Dialog, Page, expect

from assistant.settings import Settings

from ..client import feedback_cli
from ..conftest import EmbedOrigins
from .conftest import new_page
from .widget_page import (
    ask,
    axe_violations,
    bot_texts,
    screenshot,
    wait_for_cards,
    wait_until_answered,
    widget_eval,
)

QUESTION_ZH = "我想把户口迁到大连，我在大连买了房"
QUESTION_EN = "I rent a flat in Haicheng. Can I get hukou there?"


def test_chinese_question_gives_a_cited_card(page: Page, demo: str) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(demo)
    ask(page, QUESTION_ZH)
    wait_for_cards(page, 1)
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_contain_text("视当地规定而定")  # the verdict in words, not colour alone
    citation = page.get_by_test_id("citation").first
    expect(citation).to_contain_text("辽政发〔2015〕18号")
    expect(citation).to_contain_text("第 7 条")
    # the quoted clause is collapsible and opens by click
    citation.locator("summary").click()
    expect(citation.locator("blockquote")).to_contain_text("积分落户")
    assert page.get_by_test_id("document").count() >= 2
    expect(page.get_by_test_id("document").first).to_contain_text("证明")
    expect(page.locator(".offices")).to_contain_text("公安")
    # styled under the demo page's strict CSP (no inline style or script)
    assert (
        widget_eval(page, "getComputedStyle(root.querySelector('.card')).borderLeftWidth") != "0px"
    )
    assert not [m for m in console if "Content Security Policy" in m], console
    screenshot(page, "widget-1280.png")


def test_english_after_language_switch_at_360px(narrow_page: Page, demo: str) -> None:
    page = narrow_page
    page.goto(demo)
    expect(page.get_by_test_id("chat-send")).to_have_text("发送")
    page.get_by_test_id("lang-switch").click()
    # the interface changes, and the assistant is told
    expect(page.get_by_test_id("chat-send")).to_have_text("Send")
    expect(page.locator(".root")).to_have_attribute("lang", "en")
    expect(page.locator(".msg.bot").last).to_contain_text("English")
    ask(page, QUESTION_EN)
    wait_for_cards(page, 1)
    expect(page.get_by_test_id("verdict")).to_contain_text("Eligible")
    citation = page.get_by_test_id("citation").first
    expect(citation).to_contain_text("clause 4")
    expect(citation).to_contain_text("Translation, not the official text")
    assert page.get_by_test_id("document").count() >= 1
    # usable at 360 px: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "widget-360.png")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("chat-send")).to_have_text("发送")


def test_multi_turn_conversation_with_the_keyboard_only(page: Page, demo: str) -> None:
    """Tab to the input, type, Enter; Shift+Tab back to the quick replies, Enter."""
    page.goto(demo)
    for _ in range(20):
        if widget_eval(page, "root.activeElement?.dataset.testid") == "chat-input":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("Tab never reached the chat input")
    page.keyboard.type("我想落户")
    page.keyboard.press("Enter")
    verdicts: list[str] = []
    for _turn in range(10):
        wait_until_answered(page)
        verdicts = [
            str(v)
            for v in widget_eval(
                page,
                "[...root.querySelectorAll('[data-testid=verdict]')].map(v => v.dataset.verdict)",
            )
        ]
        if verdicts and verdicts[-1] != "need_more_info":
            break
        replies = page.get_by_test_id("quick-reply")
        if replies.count():
            for _ in range(40):
                focused = widget_eval(page, "root.activeElement?.dataset.testid")
                if focused == "quick-reply" and widget_eval(
                    page, "root.activeElement === root.querySelector('[data-testid=quick-reply]')"
                ):
                    break
                page.keyboard.press("Shift+Tab")
            else:
                raise AssertionError("Shift+Tab never reached the first quick reply")
            page.keyboard.press("Enter")
        else:
            assert widget_eval(page, "root.activeElement?.dataset.testid") == "chat-input"
            page.keyboard.type("丹东")
            page.keyboard.press("Enter")
    assert verdicts and verdicts[-1] == "eligible", verdicts
    expect(page.get_by_test_id("citation").last).to_contain_text("第 5 条")
    assert "丹东" in " ".join(bot_texts(page))


def test_reload_keeps_the_history_and_new_conversation_starts_afresh(page: Page, demo: str) -> None:
    page.goto(demo)
    ask(page, QUESTION_ZH)
    wait_for_cards(page, 1)
    page.get_by_test_id("document").first.locator("input").check()
    session = page.evaluate("localStorage.getItem('hukou-widget:session')")
    page.reload()
    wait_for_cards(page, 1)
    expect(page.locator(".msg.user")).to_contain_text([QUESTION_ZH])
    expect(page.get_by_test_id("document").first.locator("input")).to_be_checked()
    assert page.evaluate("localStorage.getItem('hukou-widget:session')") == session
    assert page.context.cookies() == []  # the widget sets no cookies

    page.get_by_test_id("new-conversation").click()
    expect(page.get_by_test_id("verdict")).to_have_count(0)
    expect(page.locator(".msg.user")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('hukou-widget:session')") != session
    page.reload()
    expect(page.locator(".msg.welcome")).to_have_count(1)
    expect(page.get_by_test_id("verdict")).to_have_count(0)


def test_html_in_messages_runs_nothing(page: Page, demo: str) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(demo)
    attacks = [
        '<img src=x onerror="window.__pwned=1;alert(1)">',
        "<script>window.__pwned=2;alert(2)</script>",
    ]
    for n, attack in enumerate(attacks, start=1):
        ask(page, attack)
        expect(page.locator(".msg.user")).to_have_count(n)
        wait_until_answered(page)
    expect(page.locator(".msg.user")).to_have_text([re.compile(re.escape(a)) for a in attacks])
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert widget_eval(page, "root.querySelectorAll('.log img, .log script').length") == 0


def test_length_cap_with_a_visible_counter(page: Page, demo: str) -> None:
    page.goto(demo)
    field = page.get_by_test_id("chat-input")
    field.fill("落" * 600)
    assert len(field.input_value()) == 500
    expect(page.locator(".counter")).to_have_text("500/500")


def test_embedded_on_an_allowed_origin_works(
    browser: Browser, assistant: Settings, embedding_sites: EmbedOrigins
) -> None:
    page = new_page(browser)
    try:
        page.goto(embedding_sites.allowed)
        launcher = page.get_by_test_id("chat-launcher")
        expect(launcher).to_have_text("Ask about hukou")
        launcher.click()
        expect(page.get_by_test_id("chat-input")).to_be_focused()
        ask(page, QUESTION_EN)
        wait_for_cards(page, 1)
        expect(page.get_by_test_id("verdict")).to_contain_text("Eligible")
        assert page.evaluate("window.location.origin") == embedding_sites.allowed
        screenshot(page, "embedded-1280.png")
        # Escape closes the panel and gives the focus back to the launcher
        page.keyboard.press("Escape")
        expect(launcher).to_be_focused()
        assert page.context.cookies() == []
    finally:
        page.context.close()


def test_embedded_on_an_origin_not_allowed_is_refused(
    browser: Browser, embedding_sites: EmbedOrigins
) -> None:
    page = new_page(browser)
    try:
        page.goto(embedding_sites.refused)
        page.get_by_test_id("chat-launcher").click()
        ask(page, QUESTION_EN)
        expect(page.get_by_test_id("chat-error")).to_be_visible()
        expect(page.get_by_test_id("verdict")).to_have_count(0)
    finally:
        page.context.close()


def test_rest_is_used_when_the_socket_cannot_connect(page: Page, demo: str) -> None:
    page.route("**/socket.io/**", lambda route: route.abort())
    page.goto(demo)
    ask(page, QUESTION_EN)
    wait_for_cards(page, 1)
    expect(page.get_by_test_id("verdict")).to_contain_text("Eligible")


def test_feedback_reaches_the_server_and_the_cli_lists_it(
    page: Page, demo: str, assistant: Settings
) -> None:
    page.goto(demo)
    ask(page, QUESTION_ZH)
    wait_for_cards(page, 1)
    page.get_by_test_id("feedback-down").click()
    expect(page.get_by_test_id("feedback-status")).to_have_text("感谢您的反馈。")
    expect(page.get_by_test_id("feedback-down")).to_have_attribute("aria-pressed", "true")
    session = page.evaluate("localStorage.getItem('hukou-widget:session')")
    comment = f"希望说明积分标准 {session}"
    page.get_by_test_id("feedback-comment").fill(comment)
    page.get_by_test_id("feedback-send").click()
    expect(page.get_by_test_id("feedback-status")).to_have_text("感谢您的反馈。")
    listed = feedback_cli(assistant, "--json")
    mine = [e for e in json.loads(listed) if e["conversation"] == session]
    assert len(mine) == 1 and mine[0]["comment"] == comment, mine
    assert mine[0]["question"] == QUESTION_ZH
    # after a reload the rating is still shown
    page.reload()
    wait_for_cards(page, 1)
    expect(page.get_by_test_id("feedback-down")).to_have_attribute("aria-pressed", "true")


def test_axe_finds_no_serious_or_critical_violation(
    demo: str, browser: Browser, embedding_sites: EmbedOrigins
) -> None:
    page = new_page(browser, bypass_csp=True)
    try:
        page.goto(demo)
        ask(page, QUESTION_ZH)
        wait_for_cards(page, 1)
        page.get_by_test_id("feedback-up").click()
        expect(page.get_by_test_id("feedback-comment")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        page.context.close()
    embedded = new_page(browser, width=360, height=740, bypass_csp=True)
    try:
        embedded.goto(embedding_sites.allowed)
        assert axe_violations(embedded) == []  # the launcher
        embedded.get_by_test_id("chat-launcher").click()
        expect(embedded.locator(".msg.welcome")).to_be_visible()
        assert axe_violations(embedded) == []  # the open panel
    finally:
        embedded.context.close()


def test_unreachable_server_is_said_clearly_and_retry_works(page: Page, demo: str) -> None:
    page.route("**/socket.io/**", lambda route: route.abort())
    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    page.goto(demo)
    ask(page, QUESTION_EN)
    expect(page.get_by_test_id("chat-error")).to_contain_text("无法连接")
    expect(page.get_by_test_id("typing")).to_have_count(0)
    page.unroute("**/socket.io/**")
    page.unroute("**/webhooks/rest/webhook")
    page.get_by_test_id("chat-retry").click()
    wait_for_cards(page, 1)
    expect(page.get_by_test_id("chat-error")).to_have_count(0)
    expect(page.locator(".msg.user")).to_have_count(1)  # the question is not repeated


def test_text_zoom_200_percent_and_reduced_motion(browser: Browser, demo: str) -> None:
    page = new_page(browser, width=1280, height=900)
    try:
        page.emulate_media(reduced_motion="reduce")
        page.goto(demo)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        ask(page, QUESTION_ZH)
        wait_for_cards(page, 1)
        for testid in ("chat-input", "chat-send", "lang-switch", "new-conversation"):
            expect(page.get_by_test_id(testid)).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        size = widget_eval(page, "getComputedStyle(root.querySelector('.msg.user')).fontSize")
        assert float(str(size).removesuffix("px")) >= 30  # 16 px × 2, nothing fixed in px
        animation = widget_eval(page, "getComputedStyle(root.querySelector('.card')).animationName")
        assert animation == "none"
    finally:
        page.context.close()
