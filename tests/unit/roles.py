"""A small role template built in code, for tests of logic."""

from bot.core.interview import Script
from bot.roles.schema import RoleTemplate


def make_role(max_probes: int = 1, questions: int = 5) -> RoleTemplate:
    return RoleTemplate.model_validate(
        {
            "version": 1,
            "id": "test-role",
            "title": "Test Engineer",
            "documents": ["jobs/test.md"],
            "max_probes": max_probes,
            "competencies": [{"id": "python", "name": "Python"}],
            "questions": [
                {
                    "id": f"q{i}",
                    "competency": "python",
                    "text": f"Core question number {i}: how do lists differ from tuples?",
                    "reference_answer": "Lists are mutable and tuples are immutable.",
                    "key_points": [
                        {
                            "id": "kp-mutable",
                            "text": "Lists are mutable",
                            "probe": "Can a list change?",
                        },
                        {"id": "kp-hashable", "text": "Tuples can be dict keys"},
                    ],
                    "anchors": {"1": "Wrong.", "3": "Partly right.", "5": "Complete."},
                    "probes": ["Could you give an example?"],
                }
                for i in range(1, questions + 1)
            ],
        }
    )


SCRIPT = Script(
    disclosure="I am an AI interviewer. A person decides.",
    consent_request="Do you agree?",
    consent_unclear="Sorry, yes or no?",
    declined="Understood.",
    reask="No answer received; again:",
    skip="Let's move on.",
    reminder="Back to the question:",
    closing="That was the last question. A person reviews next.",
    set_aside="That plays no part in this interview.",
)
