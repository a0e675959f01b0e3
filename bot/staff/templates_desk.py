"""HR's role templates: list, edit, check, publish, retire and preview them.

Templates are never changed in place: publishing and retiring both add a version, so every
session keeps the exact template it was run with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.errors import InputError, TemplateError
from bot.core.problems import Problem
from bot.roles.files import load_role_text
from bot.roles.schema import RoleTemplate
from bot.roles.script import load_script
from bot.staff import drafting
from bot.staff.access import Action
from bot.staff.staff_desk import StaffDesk
from bot.transcript import Message

EDITOR = "template.yaml"  # how validation problems name the text in the editor


@dataclass(frozen=True)
class TemplateSummary:
    """One role in HR's template list."""

    role_id: str
    title: str
    latest_version: int
    versions: int
    retired: bool
    published_at: datetime
    published_by: str


def template_problems(
    yaml_text: str, knowledge: Path
) -> tuple[RoleTemplate | None, list[Problem]]:
    """(parsed role, problems): the version is managed by publishing, so it is not judged.

    Drafts are checked here too, so a draft shows exactly what publishing would refuse."""
    text = drafting.with_top_level(yaml_text, "version", "1")
    try:
        role = load_role_text(text, EDITOR, knowledge_dir=knowledge if knowledge.is_dir() else None)
    except TemplateError as exc:
        return None, exc.records + drafting.todo_problems(yaml_text, EDITOR)
    todos = drafting.todo_problems(yaml_text, EDITOR)
    return (None, todos) if todos else (role, [])


class TemplatesDesk(StaffDesk):
    """Every template action HR takes, from the list to publishing."""

    def templates(self, token: str) -> list[TemplateSummary]:
        """Every role with its newest version, retired or not."""
        self._allow(token, Action.LIST_TEMPLATES)
        out = []
        for role_id in self.store.template_role_ids():
            versions = self.store.template_versions(role_id)
            latest = versions[-1]
            role = self.catalog.role(role_id, latest.version)
            out.append(
                TemplateSummary(
                    role_id,
                    role.title,
                    latest.version,
                    len(versions),
                    latest.retired or role.retired,
                    latest.published_at,
                    latest.published_by,
                )
            )
        return out

    def template_text(self, token: str, role_id: str, version: int | None = None) -> str:
        """The YAML of a published version (the newest by default), to edit."""
        self._allow(token, Action.LIST_TEMPLATES)
        row = (
            self.store.template(role_id, version)
            if version is not None
            else self.store.latest_template(role_id)
        )
        if row is None:
            raise InputError(f"no published template '{role_id}' v{version or 'latest'}")
        return row.yaml_text

    def validate_template(self, token: str, yaml_text: str) -> list[Problem]:
        """Every problem in a template text (file, line, key, message); [] when it can publish."""
        self._allow(token, Action.EDIT_TEMPLATE)
        return self._problems(yaml_text)[1]

    def publish_template(self, token: str, yaml_text: str) -> RoleTemplate:
        """Publish a valid text as the role's next version (its `version:` is set to that)."""
        actor = self._allow(token, Action.PUBLISH_TEMPLATE)
        role, problems = self._problems(yaml_text)
        if problems or role is None:
            raise TemplateError(problems)
        latest = self.store.latest_template(role.id)
        version = latest.version + 1 if latest else 1
        text = drafting.with_top_level(yaml_text, "version", str(version))
        # Compared as templates, not as text: a trailing newline or a comment is no change.
        if latest and _same_template(self.catalog.role(role.id, latest.version), role):
            raise InputError(f"nothing changed since v{latest.version}; edit it before publishing")
        self.store.publish_template(role.id, version, text, actor.label, retired=role.retired)
        return self.catalog.role(role.id, version)

    def retire_template(self, token: str, role_id: str) -> RoleTemplate:
        """Publish a retired version: new candidates cannot start it, open sessions carry on."""
        actor = self._allow(token, Action.RETIRE_TEMPLATE)
        latest = self.store.latest_template(role_id)
        if latest is None:
            raise InputError(f"no published template '{role_id}' to retire")
        if latest.retired or self.catalog.role(role_id, latest.version).retired:
            raise InputError(f"'{role_id}' is already retired; publish it again to reopen it")
        version = latest.version + 1
        text = drafting.with_top_level(latest.yaml_text, "version", str(version))
        text = drafting.with_top_level(text, "retired", "true")
        self.store.publish_template(role_id, version, text, actor.label, retired=True)
        return self.catalog.role(role_id, version)

    def preview_template(self, token: str, yaml_text: str) -> list[Message]:
        """What a candidate would read, in order, from a template text; nothing is stored."""
        self._allow(token, Action.PREVIEW_TEMPLATE)
        role, problems = self._problems(yaml_text)
        if role is None:
            raise TemplateError(problems)
        s = self.settings
        script = load_script(
            s.system_prompts_dir / "script.yaml", role, s.company_name, s.contact, s.retention_days
        )
        return [
            Message("interviewer", "disclosure", script.disclosure),
            Message("interviewer", "consent_request", script.consent_request),
            *(Message("interviewer", "question", q.text) for q in role.questions),
            Message("interviewer", "closing", script.closing),
        ]

    def _problems(self, yaml_text: str) -> tuple[RoleTemplate | None, list[Problem]]:
        """(parsed role, problems) against this installation's knowledge/ folder."""
        return template_problems(yaml_text, self.settings.knowledge_dir)


def _same_template(a: RoleTemplate, b: RoleTemplate) -> bool:
    """Whether two versions say the same thing to candidates and the evaluator."""
    skip = {"version"}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)
