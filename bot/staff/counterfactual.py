"""Counterfactual audit: would the same answer score differently if someone else had written it?

Re-scores stored answers rewritten in ways that must not matter: other names, pronouns and
gendered words; second-language English (articles dropped, agreement slips, present for
past); a regional spelling and idiom; everyday typos. Reports, per rewrite, the mean and worst
change of score and level, with the largest examples. The rewrites here are written apart
from the evaluator's training augmentations, so passing is not memorising them.
"""

from __future__ import annotations

import random
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.ports import Scorer
from bot.roles.schema import Question, RoleTemplate

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.store import Store

_NAMES = (("Emily", "she", "her"), ("Mohammed", "he", "his"), ("Priya", "she", "her"),
          ("Kwame", "he", "his"), ("Alex", "they", "their"))  # fmt: skip
_SWAP = {"he": "she", "she": "he", "him": "her", "his": "her", "her": "his", "himself": "herself",
         "herself": "himself", "man": "woman", "woman": "man", "guy": "lady", "lady": "guy",
         "boss": "boss", "mr": "ms", "ms": "mr"}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")


def _swap_gender(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        new = _SWAP.get(w.lower())
        if new is None:
            return w
        return new.capitalize() if w[0].isupper() else new

    return _WORD.sub(one, text)


def with_colleague(text: str, who: int) -> str:
    """The answer told with a named colleague, of another name and pronoun each time."""
    name, pronoun, _ = _NAMES[who % len(_NAMES)]
    return f"I worked on this with {name}, and {pronoun} agreed with my approach. {text}"


_PRESENT = {"checked": "check", "looked": "look", "added": "add", "fixed": "fix", "asked": "ask",
            "explained": "explain", "profiled": "profile", "compared": "compare",
            "told": "tell", "found": "find", "wrote": "write", "made": "make"}  # fmt: skip


def second_language(text: str) -> str:
    """Articles dropped, plural agreement slips, and some past tenses in the present."""
    out = re.sub(r"\b(?:the|a|an)\s+", "", text, flags=re.I)
    out = re.sub(r"\b(they|we|customers|users) (are|were)\b", r"\1 is", out, flags=re.I)
    out = _WORD.sub(lambda m: _PRESENT.get(m.group(0), m.group(0)), out)
    return re.sub(r"\b(\w{4,})s\b(?= (?:and|or|,))", r"\1", out)


_REGIONAL = {"optimize": "optimise", "optimized": "optimised", "prioritize": "prioritise",
             "analyze": "analyse", "analyzed": "analysed", "behavior": "behaviour",
             "color": "colour", "organization": "organisation", "center": "centre",
             "license": "licence", "catalog": "catalogue"}  # fmt: skip


def regional(text: str) -> str:
    """British/Commonwealth spelling and a common South Asian English idiom."""
    out = _WORD.sub(lambda m: _REGIONAL.get(m.group(0).lower(), m.group(0)), text)
    return re.sub(r"\bI have (\d+) years of experience\b", r"I am having \1 years experience", out)


def typos(text: str, seed: int = 5) -> str:
    """One letter dropped or doubled in about one word in six."""
    rng = random.Random(seed)

    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 5 or rng.random() > 1 / 6:
            return w
        i = rng.randrange(1, len(w) - 1)
        return w[:i] + w[i + 1 :] if rng.random() < 0.5 else w[:i] + w[i] + w[i:]

    return _WORD.sub(one, text)


# (name, rewrite of one answer, the baseline it is compared with)
VARIANTS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "names and pronouns": (lambda t: with_colleague(_swap_gender(t), 1),
                           lambda t: with_colleague(t, 0)),
    "second-language English": (second_language, lambda t: t),
    "regional spelling and idiom": (regional, lambda t: t),
    "typos": (typos, lambda t: t),
}  # fmt: skip


@dataclass(frozen=True)
class Change:
    variant: str
    answers: int
    mean_abs_delta: float
    mean_delta: float
    worst_delta: float
    level_drops: int  # answers whose level fell by one
    level_drops_2: int  # ... by two or more
    examples: tuple[tuple[str, str, float], ...]  # (before, after, delta), largest first


def audit(scorer: Scorer, answers: Sequence[tuple[Question, str]]) -> list[Change]:
    """Each variant's effect on the scores of these (question, answer) pairs."""
    out = []
    for name, (rewrite, baseline) in VARIANTS.items():
        rows: list[tuple[str, str, float, int]] = []
        for question, answer in answers:
            before, after = baseline(answer), rewrite(answer)
            a, b = scorer.score(question, before), scorer.score(question, after)
            rows.append((before, after, b.score - a.score, b.level - a.level))
        deltas: list[float] = [r[2] for r in rows]
        worst = sorted(rows, key=lambda r: -abs(r[2]))[:3]
        largest: float = worst[0][2] if worst else 0.0
        out.append(Change(
            name, len(rows), round(statistics.fmean(abs(d) for d in deltas), 4),
            round(statistics.fmean(deltas), 4), round(largest, 4),
            sum(r[3] <= -1 for r in rows), sum(r[3] <= -2 for r in rows),
            tuple((b, a, round(d, 4)) for b, a, d, _ in worst),
        ))  # fmt: skip
    return out


def as_text(changes: Sequence[Change], role_id: str) -> str:
    """The audit as a plain-text table with examples."""
    lines = [f"Counterfactual audit, role {role_id}",
             f"{'rewrite':<30} {'answers':>7} {'mean|d|':>8} {'mean d':>8} {'worst':>7} "
             f"{'level -1':>8} {'level -2':>8}"]  # fmt: skip
    for c in changes:
        lines.append(f"{c.variant:<30} {c.answers:>7} {c.mean_abs_delta:>8.3f} "
                     f"{c.mean_delta:>+8.3f} {c.worst_delta:>+7.3f} {c.level_drops:>8} "
                     f"{c.level_drops_2:>8}")  # fmt: skip
    for c in changes:
        if c.examples and abs(c.examples[0][2]) > 0:
            before, after, d = c.examples[0]
            lines += [f"\n{c.variant}, largest change {d:+.3f}:", f"  before: {before[:200]}",
                      f"  after:  {after[:200]}"]  # fmt: skip
    return "\n".join(lines)


def stored_answers(store: Store, catalog: RoleCatalog, role_id: str, limit: int = 100
                   ) -> list[tuple[Question, str]]:  # fmt: skip
    """The role's most recent stored answers with their questions (probe replies included)."""
    out: list[tuple[Question, str]] = []
    for session in reversed(store.sessions(role_id)):
        role = catalog.role(session.role_id, session.template_version)
        said: dict[str, list[str]] = {}
        for t in store.turns(session.id):
            if t.speaker == "candidate" and t.kind == "answer" and t.question_id:
                said.setdefault(t.question_id, []).append(t.text)
        out += [(role.question(q), "\n".join(texts)) for q, texts in said.items()]
        if len(out) >= limit:
            break
    return out[:limit]


def sample_answers(role: RoleTemplate, graded: dict) -> list[tuple[Question, str]]:
    """The shipped sample answers (strong, weak and non-native) to a role's questions."""
    mine = graded.get(role.id, {})
    return [(role.question(qid), text) for qid, kinds in mine.items() for text in kinds.values()]
