"""HR's graded examples: the answers recruiters graded, kept per question, and how well the
evaluator's scores agreed with those grades. Recruiters add them from the review desk."""

from __future__ import annotations

from bot.staff import teaching
from bot.staff.access import Action
from bot.staff.staff_desk import StaffDesk
from bot.store import GradedExampleRow


class TeachingDesk(StaffDesk):
    """Listing, switching off and deleting graded examples; the agreement per question."""

    def graded_examples(self, token: str, role_id: str) -> list[GradedExampleRow]:
        """The answers recruiters graded for a role's questions (disabled ones too)."""
        self._allow(token, Action.EDIT_TEMPLATE)
        self.catalog.role(role_id)  # an unknown role is refused here
        return teaching.examples_of(self.store, role_id)

    def set_example_enabled(self, token: str, example_id: int, enabled: bool) -> None:
        """Take a graded example out of scoring (or back in); it is kept."""
        actor = self._allow(token, Action.EDIT_TEMPLATE)
        self.store.set_example_enabled(example_id, enabled, actor.label)

    def delete_example(self, token: str, example_id: int) -> None:
        """Delete a graded example for good."""
        actor = self._allow(token, Action.EDIT_TEMPLATE)
        self.store.delete_example(example_id, actor.label)

    def question_agreement(self, token: str, role_id: str) -> list[teaching.QuestionAgreement]:
        """Per question: how the evaluator's scores agreed with the recruiters' grades."""
        self._allow(token, Action.VIEW_SESSIONS)
        return teaching.agreement_by_question(self.store, self.catalog, role_id)
