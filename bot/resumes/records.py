"""A ResumeMatch as the store keeps it (JSON), and back: what the recruiter's pages read."""

from __future__ import annotations

from typing import Any

from bot.resumes.matching import ResumeMatch


def match_record(found: ResumeMatch) -> dict[str, Any]:
    """The match as JSON: per requirement its verdict, support, quoted line, years, note."""
    return {
        "score": found.score,
        "confidence": found.confidence,
        "needs_review": found.needs_review,
        "model_version": found.model_version,
        "requirements": [
            {"text": m.requirement.text, "must": m.requirement.must,
             "years_asked": m.requirement.years, "verdict": m.verdict, "support": m.support,
             "evidence": m.evidence, "confidence": m.confidence, "years": m.years,
             "note": m.note}
            for m in found.matches
        ],
    }  # fmt: skip


def verdict_counts(record: dict[str, Any]) -> str:
    """'4 of 5 must-haves met, 1 partly; 1 of 3 nice-to-haves' for a list of matches."""
    parts = []
    for must, noun in ((True, "must-haves"), (False, "nice-to-haves")):
        mine = [r for r in record.get("requirements", []) if r["must"] is must]
        if not mine:
            continue
        met = sum(r["verdict"] == "met" for r in mine)
        partly = sum(r["verdict"] == "partly" for r in mine)
        parts.append(f"{met} of {len(mine)} {noun} met" + (f", {partly} partly" if partly else ""))
    return "; ".join(parts) or "no requirements"
