"""HR's workspace: role templates in a YAML editor, job and company documents, drafted questions.

Nothing here publishes on its own: the editor checks a text against the same rules the server
applies when publishing, shows each problem beside the line it is on, and publishing is a
person pressing the button. Drafts from a job description stay drafts until someone edits them
in the editor and publishes.
"""

from __future__ import annotations

import gradio as gr

from bot.core.errors import TemplateError
from bot.core.problems import Problem
from bot.staff.service import StaffService
from ui import documents, examples
from ui.candidate import bubble
from ui.confirm import ask, asking
from ui.errors import beside, shown
from ui.login import build_gate
from ui.shown import e

TEMPLATE_COLUMNS = ["Role", "Title", "Version", "Versions", "Open to candidates", "Published by"]
NEW_ROLE = """\
# A new role. Replace every TODO, check, then publish: publishing makes version 1.
id: TODO-role-id
title: TODO the job title candidates see
documents:
  - jobs/TODO.md
max_probes: 1
competencies:
  - id: TODO
    name: TODO
questions: []
"""


def problems_html(yaml_text: str, problems: list[Problem], refused: bool = False) -> str:
    """Each problem beside the line it names: line number, that line as written, key and fix."""
    if not problems:
        return '<div class="check-ok" role="status">No problems found: this can be published.</div>'
    lines = yaml_text.splitlines()
    items = []
    for problem in sorted(problems, key=lambda p: p.line or 0):
        if problem.line is None:
            items.append(f"<li>{e(problem.message)}</li>")
            continue
        n = problem.line
        where = f"line {n}" + (f", column {problem.column}" if problem.column else "")
        quoted = lines[n - 1] if 0 < n <= len(lines) else ""
        items.append(
            f'<li><span class="where">{where}</span> <code class="quoted">{e(quoted)}</code>'
            f'<div class="fix">{e(problem.message)}</div></li>'
        )
    outcome = "nothing was published" if refused else "fix them before publishing"
    return (
        f'<div class="check-failed" role="alert"><strong>{len(problems)} problem(s); '
        f'{outcome}.</strong><ol class="problems">{"".join(items)}</ol></div>'
    )


@shown
def _table(staff: StaffService, token: str) -> tuple[list[list], list[tuple[str, str]]]:
    rows, choices = [], []
    for t in staff.templates(token):
        rows.append(
            [
                t.role_id,
                t.title,
                t.latest_version,
                t.versions,
                "no (retired)" if t.retired else "yes",
                t.published_by,
            ]
        )
        choices.append((f"{t.title} ({t.role_id}, v{t.latest_version})", t.role_id))
    return rows, choices


def build(demo: gr.Blocks, staff: StaffService) -> None:
    """The HR page: login, then templates, documents and drafts."""
    gate = build_gate(demo, staff, "hr")
    with gate.workspace, gr.Tabs():
        with gr.Tab("Role templates", id="templates"):
            t = _templates_tab()
        with gr.Tab("Documents", id="documents"):
            d = documents.layout()
        with gr.Tab("Draft questions", id="drafts"):
            q = _drafts_tab()
        with gr.Tab("Graded examples", id="examples"):
            x = examples.layout()
    gate.on_enter(lambda tok: _listed(staff, tok), [], [t["table"], t["role"]])
    _wire_editor(gate.token, staff, t)
    documents.wire(gate.token, staff, d, gate.on_enter)
    examples.wire(gate.token, staff, x, gate.on_enter)
    q["draft"].click(lambda tok, jd: _draft(staff, tok, jd), [gate.token, q["job"]], q["yaml"])
    q["to_editor"].click(
        lambda text: (text, "", "The draft is in the editor. Edit it, check it, then publish."),
        q["yaml"],
        [t["editor"], t["problems"], t["outcome"]],
    )


def _wire_editor(token: gr.State, staff: StaffService, t: dict) -> None:
    """Open, start, check, publish, retire and preview role templates."""
    editing = [t["editor"], t["problems"], t["outcome"]]
    relist = dict(
        fn=lambda tok, r: _listed(staff, tok, r),
        inputs=[token, t["role"]],
        outputs=[t["table"], t["role"]],
        show_progress="hidden",
    )
    t["table"].select(_picked_role, None, t["role"])
    t["open"].click(lambda tok, r: _open(staff, tok, r), [token, t["role"]], editing)
    t["new"].click(
        lambda: (NEW_ROLE, "", "A new role: replace every TODO, then check."), None, editing
    )
    t["check"].click(
        lambda tok, text: _check(staff, tok, text),
        [token, t["editor"]],
        [t["problems"], t["outcome"]],
    )
    t["publish"].click(
        lambda tok, text: _publish(staff, tok, text),
        [token, t["editor"]],
        [*editing, t["role"]],
    ).then(**relist)
    confirming = [t["retire"], t["retire_confirm"], t["retire_cancel"], t["outcome"]]
    t["retire"].click(_ask_retire, [t["role"]], confirming)
    t["retire_cancel"].click(lambda: (*asking(False), ""), None, confirming)
    t["role"].change(lambda: asking(False), None, confirming[:3])
    t["retire_confirm"].click(
        lambda tok, r: (*asking(False), _retire(staff, tok, r)), [token, t["role"]], confirming
    ).then(**relist)
    t["preview"].click(
        lambda tok, text: _preview(staff, tok, text),
        [token, t["editor"]],
        [t["preview_chat"], t["problems"], t["outcome"]],
    )


@shown
def _listed(staff: StaffService, token: str, keep: str | None = None):
    """The template list and the role choices, keeping the chosen role when it still exists."""
    rows, choices = _table(staff, token)
    ids = [c[1] for c in choices]
    return rows, gr.update(choices=choices, value=keep if keep in ids else None)


def _templates_tab() -> dict:
    c: dict = {}
    c["table"] = gr.Dataframe(
        headers=TEMPLATE_COLUMNS,
        interactive=False,
        label="Role templates",
        elem_id="template-list",
        wrap=True,
    )
    with gr.Row():
        c["role"] = gr.Dropdown(label="Role", choices=[], elem_id="template-role", scale=3)
        c["open"] = gr.Button("Open in the editor", elem_id="template-open", scale=1)
        c["new"] = gr.Button("New role", elem_id="template-new", scale=1)
        c["retire"] = gr.Button("Retire role", variant="stop", elem_id="template-retire", scale=1)
        c["retire_confirm"] = gr.Button(
            "Confirm retire", variant="stop", visible=False, elem_id="template-retire-confirm",
            scale=1,
        )  # fmt: skip
        c["retire_cancel"] = gr.Button(
            "Cancel", visible=False, elem_id="template-retire-cancel", scale=1
        )
    # Plain text: the YAML highlighter Gradio ships reads every apostrophe ("candidate's") as
    # the start of a quoted string and colours the rest of the line as one.
    c["editor"] = gr.Code(
        language=None,
        label="Template (YAML)",
        lines=24,
        max_lines=40,
        interactive=True,
        elem_id="template-editor",
    )
    c["problems"] = gr.HTML("", elem_id="template-problems")
    with gr.Row():
        c["check"] = gr.Button("Check", elem_id="template-check")
        c["publish"] = gr.Button(
            "Publish as a new version", variant="primary", elem_id="template-publish"
        )
        c["preview"] = gr.Button("Preview as a candidate", elem_id="template-preview")
    c["outcome"] = gr.Markdown("", elem_id="template-outcome")
    c["preview_chat"] = gr.Chatbot(
        label="Preview: what a candidate reads",
        visible=False,
        height=420,
        latex_delimiters=[],
        allow_tags=False,
        feedback_options=None,
        elem_id="template-preview-chat",
    )
    return c


def _drafts_tab() -> dict:
    c: dict = {}
    gr.Markdown(
        "Paste a job description: the model proposes questions, key points and anchors "
        "from it and the company's documents. The result is a draft for you to rewrite; "
        "it is never published until a person publishes it from the editor."
    )
    c["job"] = gr.Textbox(label="Job description", lines=10, elem_id="draft-job")
    c["draft"] = gr.Button("Draft questions", variant="primary", elem_id="draft-run")
    c["yaml"] = gr.Code(
        language=None,  # plain, as the template editor (see there)
        label="Draft (editable; not published)",
        lines=20,
        interactive=True,
        elem_id="draft-yaml",
    )
    c["to_editor"] = gr.Button("Open the draft in the template editor", elem_id="draft-to-editor")
    return c


def _picked_role(evt: gr.SelectData):
    row = evt.row_value or []
    return row[0] if row else gr.skip()


@beside(3, 2)
def _open(staff: StaffService, token: str, role_id: str | None):
    if not role_id:
        raise gr.Error("Choose a role first.")
    text = staff.template_text(token, role_id)
    return text, "", f"Opened **{e(role_id)}**. Publishing makes a new version."


@beside(2, 1)
def _check(staff: StaffService, token: str, text: str):
    problems = staff.validate_template(token, text or "")
    return problems_html(text or "", problems), ""


@beside(4, 2)
def _publish(staff: StaffService, token: str, text: str):
    try:
        role = staff.publish_template(token, text or "")
    except TemplateError as exc:
        shown = problems_html(text or "", exc.records, refused=True)
        return gr.skip(), shown, "**Not published.**", gr.skip()
    published = staff.template_text(token, role.id, role.version)
    note = (
        f"Published **{e(role.title)}** as version {role.version}. New interviews use it; "
        "interviews already started keep the version they began with."
    )
    return published, problems_html(published, []), note, role.id


def _ask_retire(role_id: str | None):
    return ask(
        role_id,
        "Choose a role first.",
        lambda r: (
            f"Retire **{e(r)}**? New invites for it are refused from then on; "
            "interviews in progress carry on. Press **Confirm retire** to go ahead."
        ),
    )


@beside(1, 0)
def _retire(staff: StaffService, token: str, role_id: str | None):
    if not role_id:
        raise gr.Error("Choose a role first.")
    role = staff.retire_template(token, role_id)
    return (
        f"Retired **{e(role.title)}** (version {role.version}): new invites are refused; "
        "interviews in progress carry on. Publish it again to reopen it."
    )


@beside(3, 2)
def _preview(staff: StaffService, token: str, text: str):
    try:
        messages = staff.preview_template(token, text or "")
    except TemplateError as exc:
        return gr.update(visible=False), problems_html(text or "", exc.records), ""
    shown = [bubble(m) for m in messages]
    return gr.update(value=shown, visible=True), "", "Preview only: nothing was stored."


@shown
def _draft(staff: StaffService, token: str, job_description: str):
    return staff.draft_questions(token, job_description or "")
