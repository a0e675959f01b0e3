"""HR's page: a template with a mistake is refused with the line and the fix; a fix publishes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, shot
from tests.e2e.pages import choose, login, set_editor, text_colours

pytestmark = pytest.mark.e2e
ROLE = "data-analyst"


def latest_version(server, role_id: str) -> int:
    from bot.store import Store

    store = Store(f"sqlite:///{server.home / 'interviewer.db'}")
    try:
        return store.latest_template(role_id).version  # type: ignore[union-attr]
    finally:
        store.close()


def test_hr_sees_a_mistake_inline_then_publishes_the_fix(server, page):
    login(page, server.page_url("/hr"), "hana", STAFF["hana"][1])
    expect(page.locator("#template-list")).to_contain_text(ROLE)
    choose(page, "template-role", re.compile("Data Analyst"))
    page.get_by_role("button", name="Open in the editor").click()
    expect(page.locator("#template-outcome")).to_contain_text("Opened")

    # Highlighting never changes at an apostrophe: the words after it look like those before.
    set_editor(page, "template-editor", "title: the customer's first question\n")
    colours = text_colours(page, "template-editor", "title: the customer's")
    assert colours["the customer"] == colours["s first question"], colours

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
    published = latest_version(server, ROLE)  # other tests may have published it: any order
    page.get_by_role("button", name="Publish as a new version").click()
    expect(page.locator("#template-outcome")).to_contain_text(f"as version {published + 1}")
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

    # The list shows it with its size, its chunks in the index, and who uploaded it.
    listed = page.locator("#document-list")
    row = listed.get_by_role("row").filter(has_text="jobs/night-shift.md")
    expect(row).to_contain_text("hr:hana")
    expect(row.get_by_role("gridcell").nth(1)).to_have_text(f"{len(doc.read_bytes())} bytes")
    expect(row.get_by_role("gridcell").nth(2)).to_have_text("1")
    expect(listed.get_by_role("row").filter(has_text="company/about.md")).to_contain_text("sample")
    shot(page, "hr-document-uploaded")

    # Removing asks first; only the confirmation removes the file and its chunks.
    choose(page, "document-pick", "jobs/night-shift.md")
    page.locator("#document-remove").click()
    confirm = page.locator("#document-remove-confirm")
    expect(confirm).to_be_visible()
    expect(page.locator("#document-outcome")).to_contain_text("Remove jobs/night-shift.md?")
    assert saved.exists()
    confirm.click()
    expect(page.locator("#document-outcome")).to_contain_text(
        "Removed jobs/night-shift.md and its 1 chunk(s)"
    )
    expect(listed).not_to_contain_text("night-shift")
    expect(listed).to_contain_text("company/about.md")
    expect(confirm).to_be_hidden()
    assert not saved.exists()


def test_retiring_a_role_asks_for_a_confirmation_first(server, page):
    login(page, server.page_url("/hr"), "hana", STAFF["hana"][1])
    templates = page.locator("#template-list")
    row = templates.get_by_role("row").filter(has_text=ROLE)
    expect(row).to_contain_text("yes")
    choose(page, "template-role", re.compile("Data Analyst"))
    retire, confirm = page.locator("#template-retire"), page.locator("#template-retire-confirm")

    retire.click()  # one click only asks
    expect(confirm).to_be_visible()
    expect(retire).to_be_hidden()
    expect(page.locator("#template-outcome")).to_contain_text("Press Confirm retire")
    shot(page, "hr-retire-asks")
    page.locator("#template-retire-cancel").click()
    expect(confirm).to_be_hidden()
    expect(retire).to_be_visible()
    expect(row).not_to_contain_text("retired")

    retire.click()
    confirm.click()
    expect(page.locator("#template-outcome")).to_contain_text("Retired")
    expect(row).to_contain_text("no (retired)")
    expect(confirm).to_be_hidden()
    expect(retire).to_be_visible()
