"""Published role templates: seeded from prompts/roles/*.yaml, versioned in the store.

Sessions keep the template version they started with, so the store, not the files, is what
an interview reads; the files are how HR's edits arrive.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import InputError, TemplateError
from bot.roles.files import load_role_text
from bot.roles.schema import RoleTemplate

if TYPE_CHECKING:
    from bot.store import Store


class RoleCatalog:
    """Reads and publishes role templates. Parsed templates are cached per (role, version)."""

    def __init__(self, store: Store, roles_dir: Path) -> None:
        self.store = store
        self.roles_dir = roles_dir
        self._parsed: dict[tuple[str, int], RoleTemplate] = {}

    def publish_role_files(self) -> list[str]:
        """Publish each role file whose version the store has not seen; returns what was new.

        A file whose text changed under an already-published version is refused rather than
        silently altering interviews in progress.
        """
        published = []
        for path in sorted(self.roles_dir.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            role = load_role_text(text, str(path))
            known = self.store.template(role.id, role.version)
            if known is None:
                self.store.publish_template(role.id, role.version, text, actor="system:files")
                published.append(f"{role.id}@v{role.version}")
            elif known.yaml_text != text:
                raise TemplateError(
                    f"{path}:1: version {role.version} of '{role.id}' is already published with "
                    f"different text; raise 'version:' to {role.version + 1} to publish the change"
                )
        return published

    def role(self, role_id: str, version: int | None = None) -> RoleTemplate:
        """A published template: the given version, else the newest one."""
        row = (
            self.store.template(role_id, version)
            if version is not None
            else self.store.latest_template(role_id)
        )
        if row is None:
            known = ", ".join(self.role_ids()) or "none published yet"
            raise InputError(
                f"unknown role '{role_id}' (v{version or 'latest'}); known roles: {known}"
            )
        key = (row.role_id, row.version)
        if key not in self._parsed:
            self._parsed[key] = load_role_text(row.yaml_text, f"{role_id}@v{row.version}")
        return self._parsed[key]

    def role_ids(self) -> list[str]:
        return self.store.template_role_ids()

    def roles(self, include_retired: bool = False) -> list[RoleTemplate]:
        """The newest version of each role; retired ones left out unless asked for."""
        latest = [self.role(i) for i in self.role_ids()]
        return [r for r in latest if include_retired or not r.retired]
