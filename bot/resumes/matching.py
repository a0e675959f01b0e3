"""Requirements judged against a blind resume, the way key points are judged in an answer.

For each requirement ("I have built and run HTTP APIs in Python in production") the resume's
passages most related to it (bi-encoder) are judged by the evaluator's cross-encoder; the best
one is quoted. Met: a passage of the experience (or summary) says it. Partly: it is said less
clearly, or only named in a skills list (a list of words shows no use of them: keyword lists
never meet a requirement), or the dated years fall short of the years asked. Not shown:
nothing says it. A requirement asking for years counts the months of the dated entries that
meet it, overlapping jobs once.

The match is the requirements' weighted coverage (must-haves twice), with its confidence and
"needs a human look". It is shown beside the interview score, never merged into it, and never
rejects anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.evaluator.features import says_something
from bot.evaluator.rubric import Pair, PairJudge
from bot.evaluator.text import split_sentences
from bot.resumes.blind import BlindResume, blind_resume
from bot.resumes.sections import Entry, Sections, split_sections, years_asked, years_of
from bot.roles.schema import RoleTemplate

Verdict = Literal["met", "partly", "not shown"]
CANDIDATES = 4  # passages judged per requirement, the ones most related to it
PARTLY_SHARE = 0.5  # of the judge's threshold: support from here up is "partly"
MUST_WEIGHT = 2.0
TIE_BREAK = 0.1
# A passage whose bi-encoder cosine with the requirement is under this is about something else
# (on the sample resumes "supported customers by phone" against "a backend developer who
# likes clean interfaces" is 0.17); the judge's support for it is not counted.
RELATED_MIN = 0.25
# Sections that claim rather than show: a skills list or a summary can make "partly", never
# "met" ("named in the skills, not shown in the experience").
CLAIMS = ("skills", "summary")
HEADER_LINES = 3  # a resume without headings: its first lines are the name and contacts


@dataclass(frozen=True)
class Requirement:
    """One requirement, written as a candidate would state it."""

    text: str
    must: bool = True
    years: float | None = None  # years of experience asked, when the requirement says so

    @classmethod
    def read(cls, text: str, must: bool = True, years: float | None = None) -> Requirement:
        """A requirement from its words; years asked, where not given, from "3+ years"."""
        return cls(text.strip(), must, years if years is not None else years_asked(text))


def role_requirements(role: RoleTemplate) -> list[Requirement]:
    """The requirements HR wrote in the role's template."""
    return [Requirement.read(r.text, r.must, r.years) for r in role.requirements]


@dataclass(frozen=True)
class RequirementMatch:
    requirement: Requirement
    verdict: Verdict
    support: float  # the judge's support for the best passage, 0..1
    evidence: str | None  # the resume's words that carry it (None when not shown)
    confidence: float
    years: float | None = None  # dated years of the entries that meet it (when asked)
    note: str = ""  # why a verdict is only "partly"


@dataclass(frozen=True)
class ResumeMatch:
    score: float  # weighted coverage of the requirements, 0..1
    matches: tuple[RequirementMatch, ...]
    confidence: float
    needs_review: bool
    blind: BlindResume
    model_version: str


@dataclass(frozen=True)
class _Passage:
    text: str
    kind: str  # the section it sits in
    entry: int | None  # index of the dated entry it belongs to
    title: bool = False  # the entry's own dated line ("Support Agent, Bolt | 2024 - present")

    @property
    def claim(self) -> bool:
        """Said rather than shown: a skills list, a summary, a list of words, a job title (a
        title names the job, not the work done in it; its dates still count the years)."""
        return self.kind in CLAIMS or self.title or not says_something(self.text)

    @property
    def where(self) -> str:
        if self.title:
            return "only the job title says it; no line of the work shows it"
        if self.kind in CLAIMS:
            return f"said in the {self.kind}, not shown in the experience"
        return "a list of words, not shown in the experience"


class ResumeMatcher:
    """Matches resumes against requirements with the evaluator's judge."""

    def __init__(self, judge: PairJudge, review_below: float | None = None) -> None:
        self.judge = judge
        # The judge's own "needs a human look" line, where it has one.
        self.review_below = (
            review_below if review_below is not None else getattr(judge, "review_below", 0.6)
        )

    def match(
        self, resume_text: str, requirements: Sequence[Requirement], today: date | None = None
    ) -> ResumeMatch:
        blind = blind_resume(resume_text)
        sections = split_sections(blind.text, today)
        passages = _passages(sections)
        if not requirements or not passages:
            empty = tuple(RequirementMatch(r, "not shown", 0.0, None, 1.0) for r in requirements)
            return ResumeMatch(0.0, empty, 1.0, True, blind, self.judge.version)
        texts = [p.text for p in passages]
        related = self.judge.relatedness([(r.text, t) for r in requirements for t in texts])
        n = len(texts)
        chosen = [
            _chosen(i, r, passages, related[i * n : (i + 1) * n])
            for i, r in enumerate(requirements)
        ]
        pairs = [Pair(r.text, texts[j], r.text) for r, idx in zip(requirements, chosen, strict=True)
                 for j in idx]  # fmt: skip
        verdicts = iter(self.judge.judge(pairs))
        matches = []
        for i, (r, idx) in enumerate(zip(requirements, chosen, strict=True)):
            judged = [(passages[j], next(verdicts), related[i * n + j]) for j in idx]
            matches.append(self._verdict(r, judged, sections.entries))
        score = coverage(matches)
        confidence = min(m.confidence for m in matches)
        return ResumeMatch(
            round(score, 4), tuple(matches), round(confidence, 4),
            confidence < self.review_below, blind, self.judge.version,
        )  # fmt: skip

    def _verdict(self, r: Requirement, judged: list, entries: list[Entry]) -> RequirementMatch:
        threshold = self.judge.threshold
        # A passage that only lists words shows no use of them: it can make "partly", not "met".
        scored = [(p, v, _counted(p, v.support, cos, threshold)) for p, v, cos in judged]
        best, verdict, support = max(scored, key=lambda x: x[2])
        years = None
        note = ""
        if r.years is not None:
            # An entry counts its months when it says the requirement at least partly: the
            # dates carry the years, the verdict says how clearly the work matches.
            least = PARTLY_SHARE * threshold
            met_entries = {p.entry for p, _, s in scored if p.entry is not None and s >= least}
            years = years_of([entries[i] for i in sorted(met_entries)]) if met_entries else 0.0
        if support >= threshold:
            kind: Verdict = "met"
            if years is not None and r.years is not None and years < r.years:
                kind, note = "partly", f"{years:g} of the {r.years:g} years asked, from the dates"
        elif support >= PARTLY_SHARE * threshold:
            kind = "partly"
            if best.claim:
                note = best.where
        else:
            kind = "not shown"
        evidence = best.text if kind != "not shown" else None
        return RequirementMatch(
            r, kind, round(support, 4), evidence, round(verdict.confidence, 4), years, note
        )


def _chosen(i: int, r: Requirement, passages: list[_Passage], related: list[float]) -> list[int]:
    """The passages judged for a requirement: the most related ones, and for one that asks
    for years the most related line of every dated entry too (its months may count)."""
    order = sorted(range(len(passages)), key=lambda j: -related[j])
    picked = order[:CANDIDATES]
    if r.years is not None:
        for entry in {p.entry for p in passages if p.entry is not None}:
            best = next(j for j in order if passages[j].entry == entry)
            if best not in picked:
                picked.append(best)
    return picked


def coverage(matches: Sequence[RequirementMatch]) -> float:
    """The share of the requirements met, must-haves weighing twice: met 1, partly 1/2, not
    shown 0; the judge's support breaks ties between resumes with the same verdicts (it
    weighs a tenth)."""
    if not matches:
        return 0.0
    weights = [MUST_WEIGHT if m.requirement.must else 1.0 for m in matches]
    credit = sum(w * _credit(m) for w, m in zip(weights, matches, strict=True))
    support = sum(w * m.support for w, m in zip(weights, matches, strict=True))
    return (credit + TIE_BREAK * support) / ((1 + TIE_BREAK) * sum(weights))


def _counted(p: _Passage, support: float, related: float, threshold: float) -> float:
    """The support a passage may give: none off the subject, short of "met" for a claim."""
    if related < RELATED_MIN:
        return 0.0
    if p.claim:
        return min(support, threshold - 1e-3)
    return support


def _credit(m: RequirementMatch) -> float:
    return {"met": 1.0, "partly": 0.5}.get(m.verdict, 0.0)


def _passages(sections: Sections) -> list[_Passage]:
    """What a requirement is checked against: each sentence or bullet of every section but
    the header (contacts), with the dated entry it belongs to."""
    owner: dict[str, int] = {}
    for i, e in enumerate(sections.entries):
        for line in (e.heading, *e.lines):
            owner.setdefault(line, i)
    out: list[_Passage] = []
    by_kind = dict(sections.by_kind)
    if set(by_kind) == {"header"}:  # no headings at all: past the name and contact lines
        by_kind = {"other": by_kind["header"][HEADER_LINES:]}
    for kind, lines in by_kind.items():
        if kind == "header":
            continue
        for line in lines:
            for sentence in split_sentences(line) or [line]:
                entry = owner.get(line)
                title = entry is not None and line == sections.entries[entry].heading
                out.append(_Passage(sentence, kind, entry, title))
    return list({p.text: p for p in out}.values())
