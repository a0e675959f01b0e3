"""Draft role templates from a job description, for HR to edit; and small edits to template text.

A draft is never published by the code that makes it. What the model proposes is parsed into a
template skeleton; where the model gave nothing usable the skeleton comes from the description's
own requirements, with TODO markers that validation refuses until a person replaces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import yaml

from bot.core.problems import Problem
from bot.resumes.sections import years_asked

TODO = "TODO"
MIN_QUESTIONS, MAX_QUESTIONS = 5, 8
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+)$")
_REQUIREMENT_HEADING = re.compile(
    r"requir|looking for|you will|what you|skills|qualif|responsib|experience|must", re.I
)
_Q = re.compile(
    r"^\s*(?:\d+[.)]\s*)?(?:\*\*)?(?:Q\d*|Question\s*\d*)(?:\*\*)?\s*[:.)-]\s*(.+)$", re.I
)
_KP = re.compile(r"^\s*(?:\*\*)?Key ?points?(?:\*\*)?\s*:\s*(.*)$", re.I)
_LEVEL = re.compile(r"^\s*(?:\*\*)?Level\s*([135])(?:\*\*)?\s*:\s*(.+)$", re.I)


@dataclass
class DraftQuestion:
    """One proposed core question, as parsed or built; gaps are filled with TODO markers."""

    text: str
    key_points: list[str] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    yaml: str
    source: str  # 'model', 'model+skeleton' or 'skeleton'
    questions: int


def with_top_level(text: str, key: str, value: str) -> str:
    """The YAML text with a top-level `key: value` set in place (appended if absent).

    Editing the line, not re-dumping the YAML, keeps HR's comments and line numbers.
    """
    line = re.compile(rf"^{re.escape(key)}[ \t]*:.*$", re.M)
    if line.search(text):
        return line.sub(f"{key}: {value}", text, count=1)
    return text + ("" if text.endswith("\n") or not text else "\n") + f"{key}: {value}\n"


_STILL_TODO = f"a {TODO} from the draft is still here; replace it with your own words"


def todo_problems(text: str, filename: str) -> list[Problem]:
    """A problem for each line still holding a draft's TODO marker."""
    return [
        Problem(filename, n, _STILL_TODO)
        for n, line in enumerate(text.splitlines(), 1)
        if TODO in line and not line.lstrip().startswith("#")  # comments are never shown
    ]


def with_problems(text: str, problems: list[Problem]) -> str:
    """The draft with its validation problems as comments at the end, where no line moves."""
    if not problems:
        return text + "# Validation: no problems found. Review it, then publish.\n"
    todo = [str(p.line) for p in problems if p.message == _STILL_TODO]
    rest = [p for p in problems if p.message != _STILL_TODO]
    lines = [f"# Validation found {len(problems)} problem(s) to fix before publishing:"]
    if todo:
        lines.append(f"#   {TODO} markers to replace on lines {', '.join(todo)}")
    lines += [f"#   {p}" for p in rest]
    return text + "\n".join(lines) + "\n"


def job_title(job_description: str) -> str | None:
    """The description's first heading, or its first short line."""
    for line in job_description.splitlines():
        if m := _HEADING.match(line):
            return m.group(1).strip("*_ ")[:80]
        if line.strip():
            return line.strip("*_# ")[:80] if len(line.strip()) <= 80 else None
    return None


def requirements(job_description: str) -> list[str]:
    """Bullet points under requirement-like headings; every bullet when there are none."""
    items = _bullets(job_description)
    return [t for h, t in items if _REQUIREMENT_HEADING.search(h)] or [t for _, t in items]


def _bullets(job_description: str) -> list[tuple[str, str]]:
    """(the heading above it, the bullet's text) for each bullet, wrapped lines joined."""
    items: list[tuple[str, str]] = []
    heading, open_item = "", False
    for line in job_description.splitlines():
        if m := _HEADING.match(line):
            heading, open_item = m.group(1), False
        elif m := _BULLET.match(line):
            items.append((heading, m.group(1).strip()))
            open_item = True
        elif open_item and line.startswith((" ", "\t")) and line.strip():
            items[-1] = (items[-1][0], f"{items[-1][1]} {line.strip()}")  # a wrapped bullet
        else:
            open_item = False
    return [(h, " ".join(text.split()).strip("*_ ")) for h, text in items]


_NICE = re.compile(r"nice|plus|bonus|prefer|desirabl|advantage|optional", re.I)


def requirement_items(job_description: str) -> list[dict]:
    """The description's requirements as a template's `requirements:` entries, worded as a
    candidate would state them ("I bring ..."), nice-to-have under a "Nice to have"-like
    heading, with the years a requirement asks for."""
    items = _bullets(job_description)
    # What a candidate brings (required, nice to have), not the duties ("What you will do").
    wanted = [(h, t) for h, t in items if _NICE.search(h) or _WANTED.search(h)]
    out = []
    for heading, text in wanted or items:
        item: dict = {"text": _first_person(text)}
        if _NICE.search(heading):
            item["must"] = False
        if (years := years_asked(text)) is not None:
            item["years"] = years
        out.append(item)
    return out[:15]


def _first_person(requirement: str) -> str:
    """A requirement as a candidate would state it ('Writing automated tests as part of your
    work' -> 'I have experience writing automated tests as part of my work'); HR rewrites
    what reads oddly, the matcher reads it as the candidate's statement."""
    focus = re.sub(r"\byour\b", "my", _focus(requirement), flags=re.I)
    focus = re.sub(r"\byou\b", "I", focus, flags=re.I)
    if re.match(r"(?:A|An) ", focus):
        focus = focus[0].lower() + focus[1:]
    first = focus.split(" ", 1)[0].lower()
    if first in _STATES:
        return f"I am {focus}"[:300]
    if first.endswith("ing"):
        return f"I have experience {focus}"[:300]
    if first in _HAVES or first[:1].isdigit():
        return f"I have {focus}"[:300]
    return f"I bring {focus}"[:300]


_STATES = {"comfortable", "confident", "familiar", "fluent", "able", "happy", "proficient",
           "skilled", "experienced", "calm", "organised", "organized", "curious"}  # fmt: skip
_HAVES = {"at", "experience", "knowledge", "a", "an", "strong", "good", "excellent", "solid",
          "clear", "basic", "working", "hands-on", "proven", "some", "deep"}  # fmt: skip
_WANTED = re.compile(r"requir|qualif|looking for|must|skills|experience|you (?:have|bring)", re.I)


def parse_model_questions(text: str) -> list[DraftQuestion]:
    """Questions in the 'Q: / Key points: / Level 1: ...' shape the draft prompt asks for."""
    found: list[DraftQuestion] = []
    in_points = False
    for line in text.splitlines():
        if m := _Q.match(line):
            found.append(DraftQuestion(m.group(1).strip()))
            in_points = False
        elif not found:
            continue
        elif m := _KP.match(line):
            in_points = True
            found[-1].key_points += [p.strip() for p in re.split(r";|, ", m.group(1)) if p.strip()]
        elif m := _LEVEL.match(line):
            found[-1].anchors[m.group(1)] = m.group(2).strip()
            in_points = False
        elif in_points and (m := _BULLET.match(line)):
            found[-1].key_points.append(m.group(1).strip())
    return [q for q in found if len(q.text) >= 10][:MAX_QUESTIONS]


def _skeleton_question(requirement: str | None) -> DraftQuestion:
    if requirement is None:
        return DraftQuestion(f"{TODO}: write a core question about a skill this job needs")
    return DraftQuestion(f"{TODO}: turn this requirement into a question: {requirement}")


def _focus(requirement: str) -> str:
    """A requirement as a phrase that reads inside a sentence."""
    text = " ".join(requirement.split()).rstrip(".;:!")
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[:2].isupper() else text


def structured_question(requirement: str) -> dict:
    """A complete behavioural question built from one requirement of the job description:
    the situation, the candidate's own actions and the result, as key points in the
    candidate's words, with HR-style probes and anchors. HR reviews it like any draft."""
    focus = _focus(requirement)[:160]
    return {
        "text": f"The job description asks for {focus}. Tell me about a specific time your work "
        "called for this: what was the situation, what did you do yourself, and how did it "
        "turn out?",
        "reference_answer": f"In my last role my work called for {focus}. One time it "
        "mattered a lot: I described the situation and what was at stake, then I did the work "
        "myself step by step and explained my choices to the people involved. It turned out "
        "well and I could show it with a fact, and I kept what I learned for the next time.",
        "key_points": [
            ("I describe a real situation where my work called for this", "What was the "
             "situation, and why did it call for this?"),
            ("I say what I did myself, step by step", "What did you do yourself, step by step?"),
            ("I say how it turned out and how I knew", "How did it turn out, and how did you "
             "know?"),
        ],
        "examples": [
            {"level": 5, "covers": ["kp1", "kp2", "kp3"],
             "answer": f"At my last job {focus} was part of my work. Once a deadline was at "
             "risk because of it, so I listed what was missing, did the work myself step by "
             "step and told my manager what I had changed. We met the deadline, and I checked "
             "the result against the month before."},
            {"level": 3, "covers": ["kp1"],
             "answer": f"At my last job I did some {focus}. It was part of the team's work and "
             "it usually went fine."},
            {"level": 1, "covers": [],
             "answer": "I have not done this yet, but I learn quickly and I am sure I could "
             "pick it up."},
        ],
        "anchors": {
            "1": f"No real example, or an example that has nothing to do with {focus}.",
            "3": f"A relevant example of {focus}, but their own actions or the result stay vague.",
            "5": f"A specific example of {focus}, with their own actions and a clear, checked "
            "result.",
        },
    }  # fmt: skip


def _question_dict(i: int, q: DraftQuestion | dict) -> dict:
    if isinstance(q, dict):  # built whole from a requirement
        return {
            "id": f"q{i}",
            "competency": "job-skills",
            "text": q["text"],
            "reference_answer": q["reference_answer"],
            "key_points": [{"id": f"kp{j}", "text": t, "probe": p}
                           for j, (t, p) in enumerate(q["key_points"], 1)],
            "anchors": q["anchors"],
            "examples": q["examples"],
        }  # fmt: skip
    points = [p[:200] for p in q.key_points if len(p) >= 3][:5]
    points += [f"{TODO}: one thing a good answer says"] * (2 - len(points))
    return {
        "id": f"q{i}",
        "competency": "job-skills",
        "text": q.text,
        "reference_answer": f"{TODO}: a strong answer, in 3 to 6 sentences",
        "key_points": [
            {"id": f"kp{j}", "text": p, "probe": f"{TODO}: a follow-up asking for this point"}
            for j, p in enumerate(points, 1)
        ],
        "anchors": {
            level: q.anchors.get(level) or f"{TODO}: what a level-{level} answer looks like"
            for level in ("1", "3", "5")
        },
        # A strong, a partial and a weak answer: the evaluator learns the question from them.
        "examples": [
            {"level": level, "answer": f"{TODO}: {kind} answer, as a candidate would say it"}
            for level, kind in ((5, "a strong"), (3, "a partial"), (1, "a weak"))
        ],
    }


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "new-role"


def draft_role(
    job_description: str, model_text: str | None, document: str | None = None
) -> Draft:
    """A draft template: the model's questions if usable, topped up from the requirements;
    each requirement becomes a complete structured question, TODOs only where the job
    description has too few requirements."""
    suggested = parse_model_questions(model_text or "")
    reqs = requirements(job_description)[:MAX_QUESTIONS]
    built: list[DraftQuestion | dict] = [structured_question(r) for r in reqs]
    # Too few requirements: the model's questions (incomplete, with TODOs) fill the gap, then
    # empty skeletons; otherwise the model's ideas are listed as comments for HR.
    needed = max(0, MIN_QUESTIONS - len(built))
    proposed: list[DraftQuestion | dict] = list(suggested[:needed])
    extra = built + [_skeleton_question(None)] * (needed - len(proposed))
    source = "model+skeleton" if proposed else "skeleton"
    title = job_title(job_description) or f"{TODO}: the job title"
    slug = _slug(title.replace(TODO, ""))
    data = {
        "version": 1,
        "id": slug,
        "title": title,
        "documents": [document or f"jobs/{slug}.md"],
        "max_probes": 1,
        # What resumes are matched against: HR rewrites each as a candidate would say it.
        **({"requirements": items} if (items := requirement_items(job_description)) else {}),
        "competencies": [
            {
                "id": "job-skills",
                "name": "Job skills",
                "description": "The skills the job description asks for; split it into the "
                "competencies you assess",
            }
        ],
        "questions": [_question_dict(i, q) for i, q in enumerate(proposed + extra, 1)],
    }
    ideas = "".join(f"#   - {q.text[:150]}\n" for q in suggested[len(proposed):])
    if ideas:
        ideas = "# The model also suggested these questions (not used):\n" + ideas
    return Draft(_header(title, source) + _dump(data) + ideas, source, len(proposed + extra))


def _header(title: str, source: str) -> str:
    how = {
        "model": "proposed by the model from the job description",
        "model+skeleton": "proposed by the model, topped up with TODO questions built from "
        "the job description's requirements",
        "skeleton": "built from the job description's requirements (one structured question "
        "each), because the model gave nothing usable",
    }[source]
    return (
        f"# DRAFT for {title!r}, {how}, {date.today():%Y-%m-%d}.\n"
        "# Nothing here is published. Read every question, make it your own, replace any\n"
        f"# {TODO}, point each question at a competency, validate, and only then publish.\n"
    )


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
