"""The recruiter's Resumes tab: upload a role's resumes, read each match with its evidence.

Each file becomes a candidate's invite (send the link); a file that cannot be read is listed
with the reason. The match sits beside the interview and never rejects anyone.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from bot.resumes.records import verdict_counts
from bot.staff.pages import render
from bot.staff.service import StaffService
from ui.errors import beside, shown
from ui.login import Gate

COLUMNS = ["File", "Match", "Requirements", "Needs a look", "Invite link", "Id"]
FILE_TYPES = [".pdf", ".docx", ".txt", ".md"]
# Gradio fills a gr.Progress default with the event's own tracker (the bar on the table).
PROGRESS = gr.Progress()


def resumes_tab() -> dict:
    r: dict = {}
    gr.Markdown(
        "Upload the resumes for a role (PDF, DOCX, TXT or Markdown; several at once). Each is "
        "read with the name, contacts, age, gender words and other personal details masked, "
        "then matched against the role's requirements. Each becomes a candidate with an "
        "invite link to send. The match never rejects anyone: read it, then decide."
    )
    r["role"] = gr.Dropdown(label="Role", choices=[], elem_id="resume-role")
    r["files"] = gr.File(label="Resumes", file_count="multiple", file_types=FILE_TYPES,
                         elem_id="resume-files")  # fmt: skip
    r["match"] = gr.Button("Match resumes", variant="primary", elem_id="resume-match")
    r["problems"] = gr.Markdown("", elem_id="resume-problems")
    r["table"] = gr.Dataframe(
        headers=COLUMNS, interactive=False, wrap=True,
        label="Resumes for this role, newest first", elem_id="resume-list",
    )  # fmt: skip
    r["pick"] = gr.Dropdown(label="Resume", choices=[], elem_id="resume-pick")
    r["view"] = gr.HTML("", elem_id="resume-view")
    return r


def wire_resumes(gate: Gate, staff: StaffService, r: dict) -> None:
    def matched(tok: str, role_id: str | None, files: list | None,
                request: gr.Request, progress=PROGRESS):  # fmt: skip
        return screen(staff, tok, role_id, files or [], request, progress)

    r["match"].click(matched, [gate.token, r["role"], r["files"]],
                     [r["table"], r["pick"], r["problems"], r["files"]])  # fmt: skip
    r["role"].input(lambda tok, role: listed(staff, tok, role, None), [gate.token, r["role"]],
                    [r["table"], r["pick"]])  # fmt: skip
    r["pick"].input(lambda tok, role, rid: opened(staff, tok, role, rid),
                    [gate.token, r["role"], r["pick"]], r["view"])  # fmt: skip


@beside(4, 2)
def screen(staff: StaffService, token: str, role_id: str | None, files: list,
           request: gr.Request | None, progress) -> tuple:  # fmt: skip
    if not role_id:
        raise gr.Error("Choose the role the resumes are for.")
    if not files:
        raise gr.Error("Choose one or more resume files first.")
    loaded = [(Path(f).name, Path(f).read_bytes()) for f in files]
    progress(0, desc="Reading and matching resumes")
    done = staff.screen_resumes(token, role_id, loaded,
                                lambda n, total: progress((n, total), unit="resumes"))  # fmt: skip
    base = str(request.base_url).rstrip("/") if request is not None else ""
    links = {d.resume.id: base + d.invite.url_path for d in done if d.resume and d.invite}
    bad = [f"- **{d.file_name}**: {d.problem}" for d in done if d.problem]
    table, pick = listed(staff, token, role_id, links)
    note = (f"{len(links)} of {len(done)} resumes matched." +
            ("\n\nNot read:\n" + "\n".join(bad) if bad else ""))  # fmt: skip
    return table, pick, note, None


@shown
def listed(staff: StaffService, token: str, role_id: str | None, links: dict | None) -> tuple:
    """The role's resumes as table rows (links only for the ones just made: a link is shown
    once, like every invite) and the choices to open one."""
    if not role_id:
        return [], gr.update(choices=[], value=None)
    rows = staff.role_resumes(token, role_id)
    links = links or {}
    table = [[r.file_name, f"{r.score:.2f}", verdict_counts(r.match),
              "yes" if r.match.get("needs_review") else "", links.get(r.id, ""), r.id]
             for r in rows]  # fmt: skip
    choices = [(f"{r.file_name} · {r.score:.2f}", r.id) for r in rows]
    return table, gr.update(choices=choices, value=None)


@beside(1, 0, as_html=True)
def opened(staff: StaffService, token: str, role_id: str | None, resume_id: int | None) -> str:
    if not role_id or resume_id is None:
        return ""
    found = next((r for r in staff.role_resumes(token, role_id) if r.id == resume_id), None)
    if found is None:
        raise gr.Error("That resume is no longer here (erased with the candidate's data?).")
    others = [{"title": o.title, "score": o.score, "counts": verdict_counts(o.match)}
              for o in staff.other_roles(token, found.id)]  # fmt: skip
    return render("resume.html.j2", file_name=found.file_name, match=found.match,
                  counts=verdict_counts(found.match), masked=found.masked.get("items", []),
                  blind_text=found.blind_text, template_version=found.template_version,
                  others=others)  # fmt: skip
