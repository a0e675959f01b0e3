"""HR's Documents tab: upload a job or company document, see every document with its size,
chunks and uploader, and remove one (with a confirmation).

Uploads are indexed in the background; the tab polls until the index has the document, then
lists it again. Removing takes the document and its chunks out, and is logged by the server.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from bot.staff.documents import DocumentEntry
from bot.staff.service import StaffService
from ui.confirm import ask, asking
from ui.errors import beside
from ui.guard import uploaded_file
from ui.shown import e

DOCUMENT_COLUMNS = ["Document", "Size", "Chunks indexed", "Uploaded", "By"]


def size_text(size: int) -> str:
    """Bytes as a person reads them: '812 bytes', '14.2 KB', '3.1 MB'."""
    if size < 1024:
        return f"{size} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def document_row(d: DocumentEntry) -> list:
    """One line of the document list."""
    return [
        d.source,
        size_text(d.size),
        d.chunks if d.chunks else "not indexed",
        f"{d.uploaded_at:%Y-%m-%d %H:%M}" if d.uploaded_at else "—",
        d.uploaded_by or "sample or copied in",
    ]


def layout() -> dict:
    """The tab's controls, by name."""
    c: dict = {}
    gr.Markdown(
        "Job and company documents answer candidates' questions about the role. "
        "An upload replaces a document of the same name; it is indexed in the background "
        "and this page shows how far it has got."
    )
    c["kind"] = gr.Radio(
        [("Job document", "jobs"), ("Company document", "company")],
        value="jobs",
        label="Kind of document",
        elem_id="document-kind",
    )
    c["file"] = gr.File(
        label="Document (Markdown, text or PDF)",
        type="filepath",
        file_types=[".md", ".markdown", ".txt", ".pdf"],
        elem_id="document-file",
    )
    c["upload"] = gr.Button("Upload and re-ingest", variant="primary", elem_id="document-upload")
    c["report"] = gr.Markdown("", elem_id="document-report")
    c["job"] = gr.State("")  # the upload being indexed, polled while it runs
    c["poll"] = gr.Timer(2.0, active=False)
    c["table"] = gr.Dataframe(
        headers=DOCUMENT_COLUMNS,
        interactive=False,
        wrap=True,
        label="Documents (select a row to choose it)",
        max_height=480,
        elem_id="document-list",
    )
    with gr.Row():
        c["pick"] = gr.Dropdown(label="Document", choices=[], elem_id="document-pick", scale=3)
        c["remove"] = gr.Button("Remove document", variant="stop", elem_id="document-remove")
        c["confirm"] = gr.Button(
            "Confirm removal", variant="stop", visible=False, elem_id="document-remove-confirm"
        )
        c["cancel"] = gr.Button("Cancel", visible=False, elem_id="document-remove-cancel")
    c["outcome"] = gr.Markdown("", elem_id="document-outcome")
    return c


def wire(token: gr.State, staff: StaffService, c: dict, entered) -> None:
    """Upload, poll, list, and remove after a confirmation."""
    listing = dict(
        fn=lambda tok, pick: listed(staff, tok, pick),
        inputs=[token, c["pick"]],
        outputs=[c["table"], c["pick"]],
        show_progress="hidden",
    )
    entered(lambda tok: listed(staff, tok), [], [c["table"], c["pick"]])
    c["upload"].click(
        lambda tok, f, k: upload(staff, tok, f, k),
        [token, c["file"], c["kind"]],
        [c["report"], c["job"], c["poll"]],
    )
    c["poll"].tick(
        lambda tok, job: indexing(staff, tok, job),
        [token, c["job"]],
        [c["report"], c["poll"]],
    ).then(**listing)
    c["table"].select(_picked, None, c["pick"])
    confirming = [c["remove"], c["confirm"], c["cancel"], c["outcome"]]
    c["remove"].click(_ask, [c["pick"]], confirming)
    c["cancel"].click(lambda: (*asking(False), ""), None, confirming)
    c["pick"].input(lambda: (*asking(False), ""), None, confirming)
    c["confirm"].click(
        lambda tok, pick: (*asking(False), remove(staff, tok, pick)),
        [token, c["pick"]],
        confirming,
    ).then(**listing)


def _ask(source: str | None):
    return ask(
        source,
        "Choose a document in the list first.",
        lambda s: (
            f"Remove **{e(s)}**? Its file and its chunks in the index are deleted, and "
            "candidates' questions stop finding it. Press **Confirm removal** to go ahead."
        ),
    )


def _picked(evt: gr.SelectData):
    row = evt.row_value or []
    return row[0] if row else gr.skip()


@beside(2, 0, as_html=True)
def listed(staff: StaffService, token: str, keep: str | None = None):
    """The document list and the choices, keeping the chosen document while it exists."""
    found = staff.documents(token)
    names = [d.source for d in found]
    pick = gr.update(choices=names, value=keep if keep in names else None)
    return [document_row(d) for d in found], pick


@beside(1, 0)
def remove(staff: StaffService, token: str, source: str | None) -> str:
    if not source:
        raise gr.Error("Choose a document in the list first.")
    chunks = staff.remove_document(token, source)
    return f"Removed **{e(source)}** and its {chunks} chunk(s) from the index."


@beside(3, 0)
def upload(staff: StaffService, token: str, path: str | None, kind: str):
    if not path:
        raise gr.Error(
            "No file has arrived yet: choose a file, wait until its name shows with its size, "
            "then click Upload again."
        )
    source = Path(path)  # Gradio keeps an upload's own file name as the last part of its path
    if not uploaded_file(source):
        raise gr.Error("That file did not arrive through this page: choose it again.")
    staff.whoami(token)  # a stranger's request reads nothing
    job = staff.upload_document(token, source.name, source.read_bytes(), kind)
    return (
        f"Uploaded **{e(source.name)}** to {e(kind)}/; indexing it now…",
        job,
        gr.Timer(active=True),
    )


@beside(2, 0)
def indexing(staff: StaffService, token: str, job: str):
    """The upload's indexing progress; the timer stops when it is done or has failed."""
    status = staff.indexing_status(token, job) if job else "done"
    running = status.startswith("indexing")
    word, _, detail = status.partition(": ")
    shown_text = {
        "indexing": f"Indexing **{e(job)}**: {e(detail)}…",
        "done": f"Indexed **{e(job)}**: {e(detail)}. Candidates' questions use it now.",
        "failed": f"Indexing **{e(job)}** failed: {e(detail)}",
    }.get(word, e(status))
    return shown_text, gr.Timer(active=running)
