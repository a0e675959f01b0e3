"""Loads the interviewer's fixed words (prompts/system/script.yaml) for one role."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml
from pydantic import ConfigDict, create_model

from bot.core.errors import TemplateError
from bot.core.interview import Script
from bot.roles.schema import RoleTemplate

# The file's fields are the Script's, declared once: a text added to Script is one HR edits.
_ScriptFile = create_model(
    "ScriptFile",
    __config__=ConfigDict(extra="forbid"),
    version=(int, ...),
    **{f.name: (list[str], ...) if f.name == "acknowledgements" else (str, ...)
       for f in fields(Script)},  # type: ignore[call-overload]  # fmt: skip
)


def load_script(
    path: Path, role: RoleTemplate, company: str, contact: str, retention_days: int = 365
) -> Script:
    """The script with the role's names filled in; unknown placeholders are errors."""
    try:
        raw = _ScriptFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: {exc}; fix the file or restore it from git") from exc
    values = {
        "company": company,
        "company_s": possessive(company),
        "role_title": role.title,
        "contact": contact,
        "question_count": len(role.questions),
        "competencies": _listed([c.name for c in role.competencies]),
        "retention": f"{retention_days} days after the decision",
    }
    texts: dict[str, Any] = {}
    for name, text in raw.model_dump(exclude={"version"}).items():
        try:
            if isinstance(text, list):
                texts[name] = tuple(unwrapped(t.strip()).format(**values) for t in text)
                continue
            texts[name] = unwrapped(text.strip()).format(**values)
        except KeyError as exc:
            raise TemplateError(
                f"{path}: {name}: unknown placeholder {{{exc.args[0]}}} "
                f"(allowed: {', '.join(sorted(values))})"
            ) from exc
    return Script(**texts)


def possessive(name: str) -> str:
    """'Northwind Labs' -> "Northwind Labs'", 'Acme' -> "Acme's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def unwrapped(text: str) -> str:
    """Lines joined within each paragraph: the page wraps the text to its own width, so a
    phone shows no ragged breaks where the file happened to wrap."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
