"""The generator's prompt files (prompts/system/*.yaml), read and checked before any model runs.

A prompt names only the variables the code fills in, and its file only the keys the schema
allows; anything else is a TemplateError that names the file, the line and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import TemplateError

if TYPE_CHECKING:
    from langchain_core.prompts import ChatPromptTemplate

# Each prompt file and the variables the code fills in; a template naming any other is an error.
PROMPT_VARIABLES: dict[str, frozenset[str]] = {
    "probe": frozenset({"question", "answer", "topic", "example"}),
    "acknowledge": frozenset({"question", "answer"}),
    "draft_questions": frozenset({"role", "job_description", "count"}),
}


class Example(BaseModel):
    """One worked exchange shown to the model before the real one (small models need them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str = Field(min_length=1)
    assistant: str = Field(min_length=1)


class PromptFile(BaseModel):
    """One prompts/system/<name>.yaml file, as HR or an engineer may edit it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    system: str = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)
    user: str = Field(min_length=1)


@dataclass(frozen=True)
class Prompt:
    """A validated prompt template and where it came from."""

    name: str
    path: Path
    version: int
    template: ChatPromptTemplate

    @property
    def label(self) -> str:
        return f"{self.name}.v{self.version}"


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def load_prompt(path: Path, allowed: frozenset[str]) -> Prompt:
    """Read and check one prompt file: known keys only, and only the variables the code fills in."""
    from langchain_core.prompts import ChatPromptTemplate

    try:
        raw = path.read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except OSError as error:
        raise TemplateError(
            f"{path}: cannot read ({error.strerror}); restore it from git"
        ) from error
    except yaml.YAMLError as error:
        raise TemplateError(f"{path}: not valid YAML: {error}") from error
    try:
        spec = PromptFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = ".".join(str(p) for p in item["loc"]) or "(file)"
            problems.append(
                f"{path}:{_line_of(raw, f'{key}:')}: {key}: {item['msg']} "
                f"(allowed keys: version, system, examples, user)"
            )
        raise TemplateError(problems) from error
    try:
        shots = [
            turn for ex in spec.examples for turn in (("human", ex.user), ("ai", ex.assistant))
        ]
        template = ChatPromptTemplate.from_messages(
            [("system", spec.system), *shots, ("human", spec.user)], template_format="f-string"
        )
    except (ValueError, KeyError) as error:
        raise TemplateError(
            f"{path}: cannot parse the template ({error}); write a literal brace as {{{{ or }}}}"
        ) from error
    unknown = sorted(set(template.input_variables) - allowed)
    if unknown:
        raise TemplateError(
            [
                f"{path}:{_line_of(raw, '{' + name + '}')}: undefined variable '{name}' "
                f"(allowed: {', '.join(sorted(allowed))})"
                for name in unknown
            ]
        )
    return Prompt(path.stem, path, spec.version, template)


def load_prompts(directory: Path) -> dict[str, Prompt]:
    """The generator's prompt templates from `directory` (settings.system_prompts_dir)."""
    prompts = {}
    for name, allowed in PROMPT_VARIABLES.items():
        path = directory / f"{name}.yaml"
        if not path.is_file():
            raise TemplateError(f"{path}: missing; restore prompts/system/{name}.yaml from git")
        prompts[name] = load_prompt(path, allowed)
    return prompts
