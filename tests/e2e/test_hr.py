"""HR's page: a template with a mistake is refused with the line and the fix; a fix publishes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, shot
from tests.e2e.pages import choose, login, set_editor

pytestmark = pytest.mark.e2e
ROLE = "data-analyst"


def test_hr_sees_a_mistake_inline_then_publishes_the_fix(server, page):
    login(page, server.page_url("/hr"), "hana", STAFF["hana"][1])
    expect(page.locator("#template-list")).to_contain_text(ROLE)
    choose(page, "template-role", re.compile("Data Analyst"))
    page.get_by_role("button", name="Open in the editor").click()
    expect(page.locator("#template-outcome")).to_contain_text("Opened")

    good = (server.roles_dir / f"{ROLE}.yaml").read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(good.splitlines(), 1) if text.startswith("title:"))
    set_editor(page, "template-editor", good.replace("title:", "titel:", 1))
    page.get_by_role("button", name="Publish as a new version").click()
    problems = page.locator("#template-problems")
    expect(problems).to_contain_text("nothing was published")
    expect(problems).to_contain_text(f"line {line}")
    expect(problems).to_contain_text("unknown key 'titel'")
    expect(problems).to_contain_text("did you mean 'title'")
    shot(page, "hr-template-mistake")
    page.set_viewport_size({"width": 1280, "height": 1250})
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "hr-template-mistake-window", full_page=False)

    fixed = good.replace("title: Data Analyst", "title: Data Analyst (Reporting)", 1)
    assert fixed != good
    set_editor(page, "template-editor", fixed)
    page.get_by_role("button", name="Check").click()
    expect(problems).to_contain_text("No problems found")
    page.get_by_role("button", name="Publish as a new version").click()
    expect(page.locator("#template-outcome")).to_contain_text("as version 2")
    expect(page.locator("#template-list")).to_contain_text("Data Analyst (Reporting)")

    page.get_by_role("button", name="Preview as a candidate").click()
    preview = page.locator("#template-preview-chat")
    expect(preview).to_contain_text("I am an AI interviewer")
    expect(preview).to_contain_text("Data Analyst (Reporting)")
    shot(page, "hr-published")


def test_hr_uploads_a_job_document_and_it_is_ingested(server, page, tmp_path):
    doc = tmp_path / "night-shift.md"
    doc.write_text("# Night shift support\n\nThe night shift runs from 22:00 to 06:00.\n")
    login(page, server.page_url("/hr"), "hana", STAFF["hana"][1])
    page.get_by_role("tab", name="Documents").click()
    # As a person would: wait for the file to arrive (its name shows with its size), then click.
    with page.expect_response(lambda r: "/gradio_api/upload?" in r.url and r.ok):
        page.locator("#document-file input[type=file]").set_input_files(str(doc))
    chosen = page.locator("#document-file").get_by_role("cell", name="night-shift.md")
    expect(chosen).to_be_visible()
    page.get_by_role("button", name="Upload and re-ingest").click()
    report = page.locator("#document-report")
    expect(report).to_contain_text("Indexed", timeout=120_000)  # in the background, polled
    expect(report).to_contain_text("jobs/night-shift.md")
    expect(report).to_contain_text("1 added")
    saved = Path(server.env["INTERVIEWER_KNOWLEDGE_DIR"]) / "jobs" / "night-shift.md"
    assert saved.read_text(encoding="utf-8") == doc.read_text(encoding="utf-8")
    shot(page, "hr-document-uploaded")
