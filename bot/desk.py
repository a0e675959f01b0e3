"""The candidate desk: everything a candidate does through their invite link.

The token, never a session id from the page, says whose interview it is. Opening the page is
one call (the interview started or resumed, its stage, what was said, the heading); a message
goes to the turn runner with the session the token is bound to; the candidate's rights (a
copy, a correction, erasure, an explanation) outlive the invite's time, as the disclosure
promises. Feedback and the voluntary self-identification open when the interview has ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.errors import AccessDenied, InputError
from bot.core.interview import InterviewState, Started, stage
from bot.core.messages import plain_text
from bot.core.policy import PREFER_NOT, RACES, SEXES
from bot.invites import check_invite, hash_token
from bot.store import ERASED
from bot.transcript import Message, sources_of
from bot.turns import ERASED_NOTE, TurnResult

if TYPE_CHECKING:
    from bot.rights import Rights
    from bot.store import InviteRow
    from bot.turns import TurnRunner

NOT_OPENED = "this invite link has not been opened yet; open it first"
NOT_YOURS = "this invite link belongs to another interview; open your own invite link again"


@dataclass(frozen=True)
class Page:
    """What the candidate's page shows when it opens. `now` is None when only the candidate's
    rights remain (the link's time is over): the chat is shown, read-only."""

    session_id: str
    now: TurnResult | None
    history: tuple[Message, ...]
    heading: str  # 'Data Analyst at Northwind Labs'

    @property
    def rights_only(self) -> bool:
        return self.now is None


class CandidateDesk:
    """A candidate's requests, each checked against their invite token."""

    def __init__(self, turns: TurnRunner, rights: Rights) -> None:
        self.turns = turns
        self.rights = rights
        self.store = turns.store
        self.settings = turns.settings

    # The page ---------------------------------------------------------------------------------
    def open(self, token: str, claimed: str | None = None) -> Page:
        """The page in one call: the invite's interview (started on first use), where it
        stands and what was said; past the link's time, what was said only (for the rights)."""
        try:
            session_id = self.open_invite(token)
            rights_only = False
        except AccessDenied as closed:  # past its time: the interview is closed, rights are not
            try:
                session_id = self._bound(self._invite(token, rights=True), claimed)
            except AccessDenied:
                raise closed from None
            rights_only = True
        if claimed is not None and claimed != session_id:
            raise AccessDenied(NOT_YOURS)
        session = self.store.load_session(session_id)
        if session.status == ERASED:
            raise AccessDenied(ERASED_NOTE)
        role = self.turns.role(session.role_id, session.template_version)
        now = None
        if not rights_only:
            state = InterviewState.from_dict(session.state)
            now = TurnResult((), stage(state, role), session.state_version)
        return Page(session_id, now, tuple(self._said(session_id)),
                    f"{role.title} at {self.settings.company_name}")  # fmt: skip

    def open_invite(self, token: str) -> str:
        """The invite's interview: started on first use (latest template version), then resumed."""
        invite = self._invite(token)
        if invite.session_id is not None:
            return invite.session_id
        role = self.turns.role(invite.role_id)
        if role.retired:
            raise AccessDenied(
                f"the {role.title} role is no longer open for interviews; ask the recruiter"
            )
        session_id, created = self.store.bind_invite(
            hash_token(token), role.version, InterviewState().to_dict()
        )
        if created:
            self.turns.run(session_id, Started(), None)
        return session_id

    def reply(
        self,
        token: str,
        text: str,
        claimed: str | None = None,
        key: str | None = None,
        seen: int | None = None,
    ) -> TurnResult:
        """The candidate's message to their own interview (the runner loads it, once)."""
        session_id = self._bound(self._invite(token), claimed)
        return self.turns.reply(session_id, text, key, seen)

    def history(
        self, token: str, claimed: str | None = None, rights: bool = False
    ) -> list[Message]:
        """Everything said so far (`rights`: read-only, after the invite's time too)."""
        return self._said(self.session_for(token, claimed, rights))

    def session_for(self, token: str, claimed: str | None = None, rights: bool = False) -> str:
        """The session an opened invite is bound to; AccessDenied for any other, or erased."""
        session_id = self._bound(self._invite(token, rights), claimed)
        if self.store.load_session(session_id).status == ERASED:
            raise AccessDenied(ERASED_NOTE)
        return session_id

    # After the interview ----------------------------------------------------------------------
    def feedback(self, token: str, rating: int | None, comment: str = "") -> None:
        """The candidate's optional feedback on the interview: a 1-5 rating and/or a comment."""
        session_id = self.session_for(token)
        if rating is not None and not 1 <= rating <= 5:
            raise InputError(f"rating {rating} is out of range; choose 1 to 5, or leave it empty")
        comment = plain_text(comment).strip()
        limit = self.settings.feedback_max_chars
        if len(comment) > limit:
            raise InputError(
                f"the comment is {len(comment):,} characters long and the limit is {limit:,}; "
                "please shorten it"
            )
        if rating is None and not comment:
            raise InputError("the feedback form is empty; choose a rating or write a comment")
        if not self.turns.is_finished(session_id):
            raise InputError("feedback opens when the interview has ended; answer first")
        if self.store.feedback(session_id):
            raise InputError("thank you: your feedback for this interview is already saved")
        self.store.add_feedback(session_id, rating, comment)

    def self_identify(self, token: str, sex: str, race_ethnicity: str) -> None:
        """The candidate's voluntary answers, after the interview only, kept apart from
        everything that scores, shows or exports their interview."""
        session_id = self.session_for(token)
        if not self.turns.is_finished(session_id):
            raise InputError("this optional form opens when the interview has ended")
        if sex not in (*SEXES, PREFER_NOT) or race_ethnicity not in (*RACES, PREFER_NOT):
            raise InputError("choose one of the options offered, or 'Prefer not to say'")
        self.store.add_self_id(session_id, sex, race_ethnicity)

    # Rights, for as long as the data is kept -----------------------------------------------------
    def copy(self, token: str) -> dict:
        """A copy of everything kept about the candidate's interview."""
        return self.rights.copy(self.session_for(token, rights=True))

    def correct(self, token: str, note: str) -> None:
        """A correction from the candidate, shown to the recruiter with the transcript."""
        self.rights.correct(self.session_for(token, rights=True), note)

    def erase(self, token: str) -> dict[str, int]:
        """Erase the candidate's data now; the audit log keeps only that it happened."""
        return self.rights.erase(self.session_for(token, rights=True))

    def explain(self, token: str) -> str:
        """After a decision: which questions, what the model did, that a person decided."""
        return self.rights.explain(self.session_for(token, rights=True))

    # ------------------------------------------------------------------------------------------
    # A resume, if the role takes one ------------------------------------------------------
    def attach_resume(self, token: str, file_name: str, data: bytes) -> str:
        """The candidate's resume, read, masked and matched with the role's requirements,
        kept with their invite (a newer one replaces it). Returns what to tell them."""
        from pathlib import Path

        from bot.resumes.matching import role_requirements
        from bot.resumes.reading import read_resume
        from bot.resumes.records import match_record

        session_id = self.session_for(token)
        session = self.store.load_session(session_id)
        if session.consent is not True:
            raise InputError("agree to the interview first; then you can attach a resume")
        role = self.turns.role(session.role_id, session.template_version)
        if not role.requirements:
            raise InputError("this interview does not take a resume; your answers are enough")
        limit = self.settings.upload_max_mb * 1024 * 1024
        text = read_resume(Path(file_name), data, limit)
        found = self.matcher().match(text, role_requirements(role))
        self.store.add_resume(
            hash_token(token), role.version, Path(file_name).name, found.blind.text,
            [(m.kind, m.text) for m in found.blind.masked], match_record(found), found.score,
            "candidate",
        )  # fmt: skip
        return (
            f"Your resume ({Path(file_name).name}) is attached. Before anything reads it, your "
            "name, contact details, age and other personal details are masked; a person reads "
            "it beside your answers, and nothing is decided by it alone."
        )

    def matcher(self):
        """The resume matcher over the evaluator's own judge (loaded once, on first use)."""
        if getattr(self, "_matcher", None) is None:
            from bot.resumes.matching import ResumeMatcher

            judge = getattr(self.turns.scorer, "judge", None)
            if judge is None:
                raise InputError("resumes cannot be read here: the evaluator has no judge")
            self._matcher = ResumeMatcher(judge)
        return self._matcher

    def _invite(self, token: str, rights: bool = False) -> InviteRow:
        return check_invite(self.store, token, self.settings.invite_ttl_hours, rights)

    @staticmethod
    def _bound(invite: InviteRow, claimed: str | None) -> str:
        if invite.session_id is None:
            raise AccessDenied(NOT_OPENED)
        if claimed is not None and claimed != invite.session_id:
            raise AccessDenied(NOT_YOURS)
        return invite.session_id

    def _said(self, session_id: str) -> list[Message]:
        return [
            Message(t.speaker, t.kind, t.text, sources_of(t.meta))  # type: ignore[arg-type]
            for t in self.store.turns(session_id)
        ]
