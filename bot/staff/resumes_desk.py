"""Recruiters screen resumes for a role: each file read, made blind, matched against the
role's requirements, and kept with a new invite (the candidate's record and link).

A file that cannot be read is reported with the reason and the rest go on; nothing is
rejected by a score: the match is shown for a person to weigh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import InputError
from bot.resumes.matching import ResumeMatcher, role_requirements
from bot.resumes.reading import read_resume
from bot.resumes.records import match_record
from bot.staff.access import Action, hash_token, invite_for
from bot.staff.staff_desk import StaffDesk

if TYPE_CHECKING:
    from bot.staff.access import Invite
    from bot.store import ResumeRow

MAX_FILES = 200  # resumes one upload may carry


@dataclass(frozen=True)
class Screened:
    """One file's outcome: its resume and invite, or why it could not be read."""

    file_name: str
    resume: ResumeRow | None = None
    invite: Invite | None = None
    problem: str = ""


@dataclass(frozen=True)
class OtherRole:
    role_id: str
    title: str
    score: float
    match: dict


class ResumesDesk(StaffDesk):
    matcher: ResumeMatcher | None

    def screen_resumes(
        self, token: str, role_id: str, files: Sequence[tuple[str, bytes]],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Screened]:  # fmt: skip
        """Each (file name, bytes) read, masked, matched and kept with a new invite."""
        actor = self._allow(token, Action.SCREEN_RESUMES)
        role = self.catalog.role(role_id)
        if not role.requirements:
            raise InputError(
                f"the {role.title} role lists no requirements; HR adds them under "
                "'requirements:' in its template, then resumes can be matched"
            )
        if len(files) > MAX_FILES:
            raise InputError(f"{len(files)} files; send at most {MAX_FILES} at a time")
        requirements = role_requirements(role)
        out: list[Screened] = []
        for n, (name, data) in enumerate(files, 1):
            try:
                text = read_resume(Path(name), data, self.settings.upload_max_mb * 1024 * 1024)
                found = self._matcher().match(text, requirements)
                email = next((m.text for m in found.blind.masked if m.kind == "email"), None)
                invite = invite_for(self.store, self.catalog, self.settings, actor, role.id,
                                    _plausible(email))  # fmt: skip
                row = self.store.add_resume(
                    hash_token(invite.token), role.version, Path(name).name, found.blind.text,
                    [(m.kind, m.text) for m in found.blind.masked], match_record(found),
                    found.score, actor.label,
                )  # fmt: skip
                out.append(Screened(Path(name).name, row, invite))
            except InputError as exc:
                out.append(Screened(Path(name).name, problem=str(exc)))
            if progress:
                progress(n, len(files))
        return out

    def role_resumes(self, token: str, role_id: str) -> list[ResumeRow]:
        """The role's screened resumes, newest first."""
        self._allow(token, Action.SCREEN_RESUMES)
        return self.store.resumes(role_id)

    def other_roles(self, token: str, resume_id: int) -> list[OtherRole]:
        """"Also consider for": the other open roles with requirements, ranked by how the
        same masked resume meets them (the requirements that carry it are in the record)."""
        self._allow(token, Action.SCREEN_RESUMES)
        row = self.store.resume(resume_id)
        if row is None:
            raise InputError("no such resume (erased with the candidate's data?)")
        out = []
        for role in self.catalog.roles():
            if role.id == row.role_id or not role.requirements:
                continue
            found = self._matcher().match(row.blind_text, role_requirements(role))
            out.append(OtherRole(role.id, role.title, found.score, match_record(found)))
        return sorted(out, key=lambda o: -o.score)

    def _matcher(self) -> ResumeMatcher:
        if self.matcher is None:  # loaded on first use: the CLI and HR never pay for it
            from bot.evaluator import judge_for

            self.matcher = ResumeMatcher(judge_for(self.settings))
        return self.matcher


def _plausible(email: str | None) -> str | None:
    """The resume's email, kept with the invite when it is a usable address."""
    from bot.staff.access import check_email

    try:
        return check_email(email) if email else None
    except InputError:
        return None
