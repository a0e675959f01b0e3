"""What a person does on the pages, in their words: log in, answer, choose, edit, download."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

TURN_TIMEOUT = 180_000  # ms: one answer scored and replied to, on a busy CPU


def question_texts(roles_dir: Path, role_id: str) -> list[str]:
    """The role's core questions in order, as the candidate will read them."""
    from bot.roles.files import load_role

    return [q.text for q in load_role(roles_dir / f"{role_id}.yaml").questions]


def chat(page: Page):
    return page.locator("#interview-chat")


def open_interview(page: Page, url: str) -> None:
    """Open an invite link and wait for the disclosure."""
    page.goto(url)
    expect(chat(page)).to_contain_text("I am an AI interviewer", timeout=60_000)


def consent(page: Page, first_question: str, by_keyboard: bool = False) -> None:
    """Agree to the AI interview, with the mouse or by focusing the button and pressing Enter."""
    agree = page.get_by_role("button", name="Yes, I agree to continue")
    if by_keyboard:
        agree.focus()
        page.keyboard.press("Enter")
    else:
        agree.click()
    expect(chat(page)).to_contain_text(first_question[:60], timeout=TURN_TIMEOUT)
    expect(page.locator("#status")).not_to_contain_text("The interviewer is", timeout=30_000)


def answer(page: Page, text: str, then_expect: str) -> None:
    """Type an answer, send it with Enter, and wait until the interviewer has replied."""
    box = page.get_by_role("textbox", name=re.compile(r"^Your answer"))
    box.fill(text)
    box.press("Enter")
    expect(chat(page)).to_contain_text(then_expect[:60], timeout=TURN_TIMEOUT)
    expect(page.locator("#status")).not_to_contain_text("The interviewer is", timeout=30_000)


def close_toasts(page: Page) -> None:
    """Dismiss error pop-ups once a test has read them."""
    for button in page.locator(".toast-close").all():
        if button.is_visible():
            button.click()


def login(page: Page, url: str, name: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    expect(page.locator("#who")).to_contain_text(name, timeout=30_000)


def choose(page: Page, elem_id: str, option: str | re.Pattern) -> None:
    """Pick an option of a dropdown by (part of) its visible label."""
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option).first.click()


def set_editor(page: Page, elem_id: str, text: str) -> None:
    """Replace the whole text of a code editor, as pasting would."""
    editor = page.locator(f"#{elem_id} .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def text_colours(page: Page, elem_id: str, line_start: str) -> dict[str, str]:
    """The colour each run of text is drawn in, on the editor line that starts so."""
    return page.evaluate(
        """([id, start]) => {
          const line = [...document.querySelectorAll(`#${id} .cm-line`)]
            .find((l) => l.textContent.startsWith(start));
          const out = {};
          const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            for (const part of n.textContent.split(/[:']/)) {
              if (part.trim()) { out[part.trim()] = getComputedStyle(n.parentElement).color; }
            }
          }
          return out;
        }""",
        [elem_id, line_start],
    )


def editor_text(page: Page, elem_id: str) -> str:
    """The code editor's text, line by line as CodeMirror holds it."""
    lines = page.locator(f"#{elem_id} .cm-content .cm-line").all_inner_texts()
    return "\n".join(lines)


def download(page: Page, button: str) -> tuple[str, bytes]:
    """Click an export button; the download starts by itself. Returns (file name, bytes)."""
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button).click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()
