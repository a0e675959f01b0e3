"""HR's view of what the evaluator learns from: the answers recruiters graded, per question,
with how well the evaluator's own scores agreed with those grades; each example can be taken
out of scoring, put back, or deleted. HR's own examples live in the template."""

from __future__ import annotations

import gradio as gr

from bot.staff.service import StaffService
from ui.errors import beside
from ui.shown import e

COLUMNS = ["id", "question", "level", "evaluator said", "graded by", "when", "in use", "answer"]


def layout() -> dict:
    c: dict = {}
    gr.Markdown(
        "Answers a recruiter graded (an override, or a confirmed level) become examples the "
        "evaluator scores that question's next answers with, beside HR's own examples in the "
        "template. A role that should not learn from grades says `learn_from_grades: false`."
    )
    c["role"] = gr.Dropdown(label="Role", choices=[], elem_id="examples-role")
    c["show"] = gr.Button("Show graded examples", elem_id="examples-show")
    c["agreement"] = gr.Markdown("", elem_id="examples-agreement")
    c["table"] = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True,
                              elem_id="examples-table")  # fmt: skip
    with gr.Row():
        c["pick"] = gr.Number(label="Example id", precision=0, elem_id="examples-pick")
        c["disable"] = gr.Button("Take out of scoring", elem_id="examples-disable")
        c["enable"] = gr.Button("Use again", elem_id="examples-enable")
        c["delete"] = gr.Button("Delete", variant="stop", elem_id="examples-delete")
    c["outcome"] = gr.Markdown("", elem_id="examples-outcome")
    return c


def wire(token: gr.State, staff: StaffService, c: dict, entered) -> None:
    entered(lambda tok: gr.update(choices=_roles(staff, tok)), [], [c["role"]])
    shown = dict(fn=lambda tok, r: listed(staff, tok, r), inputs=[token, c["role"]],
                 outputs=[c["agreement"], c["table"]])  # fmt: skip
    c["show"].click(**shown)
    c["role"].change(**shown)
    for button, action in (("disable", "off"), ("enable", "on"), ("delete", "delete")):
        c[button].click(
            lambda tok, i, a=action: change(staff, tok, i, a), [token, c["pick"]], c["outcome"]
        ).success(**shown)


def _roles(staff: StaffService, token: str) -> list[tuple[str, str]]:
    from bot.core.errors import BotError

    try:
        return [(f"{r.title} ({r.role_id})", r.role_id) for r in staff.templates(token)]
    except BotError:  # a missing login shows an empty list; the gate says why
        return []


@beside(1, 0)
def listed(staff: StaffService, token: str, role_id: str | None):
    if not role_id:
        raise gr.Error("Choose a role.")
    agreement = staff.question_agreement(token, role_id)
    return agreement_table(agreement), [
        [x.id, x.question_id, x.level,
         "" if x.base_score is None else f"{x.base_score:.2f}", x.graded_by,
         f"{x.graded_at:%Y-%m-%d %H:%M}", "yes" if x.enabled else "no",
         x.text if len(x.text) <= 160 else x.text[:157] + "..."]
        for x in staff.graded_examples(token, role_id)
    ]  # fmt: skip


def agreement_table(agreement: list) -> str:
    """Per question: examples, how the evaluator agreed with recruiters, what to grade next."""
    lines = ["| question | HR's examples | graded answers | evaluator vs your grades | "
             "grade next (sessions it was least sure of) |", "|---|---|---|---|---|"]  # fmt: skip
    for q in agreement:
        r = "" if q.pearson is None else f"r = {q.pearson:.2f}, "
        nxt = ", ".join(s[:8] for s in q.grade_next) or "-"
        lines.append(f"| {e(q.question_id)} | {q.template_examples} | {q.recruiter_examples} | "
                     f"{r}{e(q.trust)} | {nxt} |")  # fmt: skip
    return "\n".join(lines)


@beside(0, 0)
def change(staff: StaffService, token: str, example_id: float | None, action: str) -> str:
    if not example_id:
        raise gr.Error("Write the id of an example from the list first.")
    if action == "delete":
        staff.delete_example(token, int(example_id))
        return f"Example {int(example_id)} deleted."
    staff.set_example_enabled(token, int(example_id), action == "on")
    now = "back in use" if action == "on" else "taken out of scoring"
    return f"Example {int(example_id)} {now}."
