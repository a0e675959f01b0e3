"""What reaches a page or a file is inert: no control bytes, no remote images, no stray escapes."""

from __future__ import annotations

from bot.knowledge.answers import answer_from, without_images
from bot.ports import Snippet
from bot.staff.exports import csv_cell, highlighted, printable
from ui.shown import as_markdown_text


def test_exports_carry_no_control_characters():
    raw = "ok\x00 then\x1b[31m red\x07 and a tab\tand\nlines"
    assert printable(raw) == "ok then[31m red and a tab\tand\nlines"
    assert "\x00" not in csv_cell(raw) and "\x1b" not in highlighted(raw, [])


def test_a_quoted_document_never_makes_the_browser_fetch_an_image():
    text = 'See ![the office](https://tracker.example/p.png) and <img src="https://x.example/a">.'
    assert without_images(text) == "See the office and ."
    # Whatever the similarity, what a quote shows has no image and no link to fetch.
    found = answer_from("What can I see at the office?", [Snippet(text, "company/about.md",
                        "Office", 0.4)], lambda q, texts: [1.0] * len(texts))  # fmt: skip
    assert found is not None and "https://" not in found.text and "<img" not in found.text


def test_a_candidates_web_address_is_shown_whole_while_markup_stays_literal():
    shown = as_markdown_text("My repo: https://github.com/ana/app_v2-beta.git **really** <b>")
    assert "https://github.com/ana/app_v2-beta.git" in shown
    assert r"\*\*really\*\*" in shown and "&lt;b&gt;" in shown
