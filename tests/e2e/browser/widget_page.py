"""Driving the widget in a page: asking, waiting for answers, reading what is shown."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from .conftest import AXE, RESULTS


def ask(page: Page, text: str) -> None:
    """Type `text` into the widget and press Enter."""
    field = page.get_by_test_id("chat-input")
    field.fill(text)
    field.press("Enter")


def wait_for_cards(page: Page, count: int) -> None:
    """Wait until `count` answer cards are shown."""
    page.wait_for_function(
        """n => {
          const host = document.querySelector('.hukou-widget');
          return host && host.shadowRoot.querySelectorAll('[data-testid=verdict]').length >= n;
        }""",
        arg=count,
    )


def wait_until_answered(page: Page) -> None:
    """Wait until the last message is answered completely (the log is no longer busy)."""
    page.wait_for_function(
        """() => { const r = document.querySelector('.hukou-widget').shadowRoot;
                   return r.querySelector('[data-testid=chat-messages]')
                           .getAttribute('aria-busy') === 'false'; }"""
    )


def bot_texts(page: Page) -> list[str]:
    return page.locator(".msg.bot").all_inner_texts()


def widget_eval(page: Page, expression: str) -> Any:
    """Evaluate `expression` with `root` bound to the widget's shadow root."""
    return page.evaluate(
        f"() => {{ const root = document.querySelector('.hukou-widget').shadowRoot; "
        f"return {expression}; }}"
    )


def wait_for_animations(page: Page) -> None:
    """Wait until no animation runs in the page or a shadow root: a message fading in is
    half transparent, and axe would measure the contrast of its half-drawn text."""
    page.evaluate(
        """async () => {
          const roots = [document, ...Array.from(document.querySelectorAll('*'), e => e.shadowRoot)
                                        .filter(Boolean)];
          for (let round = 0; round < 50; round++) {
            const running = roots.flatMap(r => r.getAnimations())
                                 .filter(a => a.playState === 'running' || a.pending);
            if (!running.length) return;
            await Promise.all(running.map(a => a.finished.catch(() => null)));
          }
        }"""
    )


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page (the widget's shadow DOM
    included), axe-core injected from widget/node_modules."""
    wait_for_animations(page)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return violations


def screenshot(page: Page, name: str) -> None:
    """The page, with the last answer card scrolled to the top of the chat, in results/."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    wait_until_answered(page)
    page.evaluate(
        """() => { const r = document.querySelector('.hukou-widget').shadowRoot;
                   const cards = r.querySelectorAll('.card');
                   if (cards.length) cards[cards.length - 1].scrollIntoView({block: 'start'}); }"""
    )
    page.screenshot(path=str(RESULTS / name), full_page=True)
