"""The interview's policy in one place: what is never asked, and the product's own fallbacks.

The same protected topics keep HR's templates (checked before publishing) and every generated
text (checked before a candidate sees it) off a candidate's age, family, health, religion,
origin and the rest. Narrow on purpose where a word is also everyday engineering ("race
condition", "health check", "child process", "partner team"), so legitimate technical
questions and probes pass.
"""

from __future__ import annotations

import re

# What the interviewer says when the model's text is refused or fails: neutral, no verdict.
ACKNOWLEDGEMENT = "Thank you. Let's move on."
DEFERRAL = "I don't have that information; I'll pass your question to the recruiter."


def _words(alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + alternatives + r")\b", re.IGNORECASE)


# Topics an interviewer must never raise: the kind (named in the log) and its words. Narrow on
# purpose where a word is also everyday engineering ("race condition", "health check",
# "child process", "partner team"), so legitimate technical probes still pass.
PROTECTED_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("age", _words(
        # "age" alone is also a verb ("let tickets age"): only a person's age counts.
        r"how old|your age|(?:what|which|at (?:your|what|that|this)) age|age (?:range|group|limit)"
        r"|aged \d+|\d+ years? old|birthday|date of birth|birth ?date|year of birth"
        r"|when were you born|retirement age|plans? to retire"
        r"|(?:what|which) year did you graduate|when did you graduate|graduation year"
    )),
    ("family", _words(
        r"married|marital|marriage|spouse|husband|wife|your partner|boyfriend|girlfriend"
        r"|fianc[eé]e?|divorc\w*|children|child(?!\s+process)|kids?|family|families|childcare"
        r"|babysit\w*|single parent|parental leave|paternity"
    )),
    ("pregnancy", _words(
        r"pregnan\w*|maternity|expecting a baby|bab(?:y|ies)|have (?:a baby|kids|children)"
    )),
    ("health", _words(
        r"your health|health (?:condition|issue|problem)s?|medical|illness(?:es)?|sick(?:ness)?"
        r"|medication|mental health|chronic|injur(?:y|ies|ed)|therapy|hospital\w*"
    )),
    ("disability", _words(r"disab\w*|handicap\w*|wheelchair|impairment")),
    ("religion", _words(
        r"religio\w*|church|mosque|synagogue|temple|pray\w*|faith|god|christian\w*|muslim"
        r"|islam\w*|jewish|judaism|hindu\w*|buddhis\w*|sikh|atheis\w*|sabbath|ramadan"
    )),
    ("ethnicity", _words(
        r"ethnic\w*|racial|race(?!\s+conditions?)|skin colou?r|ancestry|heritage|mother tongue"
        r"|native language|your accent"
    )),
    ("nationality", _words(
        r"nationality|citizen\w*|passport|visa|immigra\w*|green card|where (?:are|were) you from"
        r"|where do you (?:come|originate) from|country of origin|home country|native country"
        r"|born|birthplace|place of birth|first language"
    )),
    ("sexuality", _words(r"sexual\w*|gay|lesbian|bisexual|transgender|gender|pronouns?")),
    ("salary history", _words(
        r"salary history|(?:current|previous|last|past|former|present) (?:salary|salaries|pay"
        r"|compensation|wages?|income|earnings)|how much (?:do|did) you (?:make|earn|get paid)"
        r"|(?:salary|pay|compensation) (?:at|in) your (?:current|previous|last) (?:job|role)"
        r"|what (?:do|did) you (?:make|earn)"
    )),
)  # fmt: skip


def protected_topics(text: str) -> list[tuple[str, str]]:
    """The protected topics a text touches, as (topic, the words that show it)."""
    return [(topic, m.group(0)) for topic, rx in PROTECTED_TOPICS if (m := rx.search(text))]


# Voluntary self-identification after the interview, in the EEO-1 categories NYC Local Law 144
# uses. Never asked before or during the interview, never required, never scored.
SEXES = ("Female", "Male")
RACES = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
)
PREFER_NOT = "Prefer not to say"
