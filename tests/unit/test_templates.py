"""Role template loader: every mistake HR can make is reported as file:line, key and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli.templates import check_main
from bot.core.errors import TemplateError
from bot.roles.files import check_path, load_role, load_role_text, load_roles
from bot.roles.schema import RoleTemplate

ROOT = Path(__file__).resolve().parents[2]
ROLES = ROOT / "prompts" / "roles"
KNOWLEDGE = ROOT / "knowledge"
NAME = "prompts/roles/backend-python.yaml"
SAMPLE = (ROLES / "backend-python.yaml").read_text(encoding="utf-8")


def edit(old: str, new: str, text: str = SAMPLE) -> str:
    """The sample with one exact, unique passage replaced."""
    assert text.count(old) == 1, f"passage not unique in the sample: {old!r}"
    return text.replace(old, new)


def line_of(text: str, marker: str, after: str = "") -> int:
    """1-based number of the first line starting with marker, below the line holding after."""
    lines = text.splitlines()
    start = next(i + 1 for i, line in enumerate(lines) if after in line) if after else 0
    return next(i + 1 for i in range(start, len(lines)) if lines[i].strip().startswith(marker))


def problems_of(text: str, **kwargs) -> list[str]:
    with pytest.raises(TemplateError) as info:
        load_role_text(text, NAME, **kwargs)
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


FIRST_QUESTION_KEY_POINTS = """\
      - id: kp-own-part
        text: I say which parts I designed or wrote myself
        probe: Which parts of that work did you do yourself?
      - id: kp-tradeoff
        text: I would change one design decision today, and I say why
        probe: Looking back, is there a design choice you would make differently, and why?
"""

# (case, broken text, (marker, after) for the expected line, expected words in the message)
MISTAKES = [
    (
        "unknown key (typo)",
        edit(
            "    reference_answer: >-\n      The handler",
            "    referense_answer: >-\n      The handler",
        ),
        ("referense_answer:", ""),
        [
            "unknown key 'referense_answer' in questions[2]",
            "(allowed: id, competency, text, reference_answer, key_points, anchors, probes, "
            "examples)",
            "did you mean 'reference_answer'?",
        ],
    ),
    (
        "missing required key points at the parent mapping",
        edit(
            "    competency: python\n    text: >-\n      A request", "    text: >-\n      A request"
        ),
        ("- id: q3-slow-external-calls", ""),
        ["missing required key 'competency' in questions[2]", "add competency:"],
    ),
    (
        "too few key points",
        edit(FIRST_QUESTION_KEY_POINTS, ""),
        ("key_points:", "q1-service-you-built"),
        ["questions[0].key_points: needs 2 to 5 key points, found 1", "add key points"],
    ),
    (
        "version zero",
        edit("version: 3\n", "version: 0\n"),
        ("version:", ""),
        ["version: must be a positive whole number", "found a number (0)"],
    ),
    (
        "version as text",
        edit("version: 3\n", "version: first\n"),
        ("version:", ""),
        ["version: must be a positive whole number", "found 'first'"],
    ),
    (
        "wrong type",
        edit("title: Backend Python Engineer", "title: 2024"),
        ("title:", ""),
        ["title: expected text, found a number (2024); put it in quotes"],
    ),
    (
        "list where a mapping belongs",
        edit(
            "      - id: kp-purpose\n"
            "        text: I built a service or API, and I say what it did and who used it\n"
            "        probe: Who relied on that service, and what did they use it for?\n",
            "      - Explains what the service did\n",
        ),
        ("- Explains what the service did", ""),
        ["questions[0].key_points[0]: expected a mapping with keys id, text, probe"],
    ),
    (
        "anchor level missing",
        edit(
            '      "5": >-\n        Explains mutability, that it makes tuples usable as keys,'
            " and gives a clear rule for\n        choosing with a practical example of each.\n",
            "",
        ),
        ("anchors:", "q2-lists-and-tuples"),
        ["missing required key '5' in questions[1].anchors", "what a strong answer looks like"],
    ),
    (
        "competency not declared",
        edit("    competency: production\n", "    competency: operations\n"),
        ("competency: operations", ""),
        [
            "questions[4].competency: 'operations' is not declared under competencies",
            "declared: apis-and-data, python, production, collaboration",
        ],
    ),
    (
        "duplicate question id",
        edit("  - id: q3-slow-external-calls\n", "  - id: q2-lists-and-tuples\n"),
        ("- id: q2-lists-and-tuples", "- id: q2-lists-and-tuples"),
        ["questions[2].id: 'q2-lists-and-tuples' is already used by questions[1]"],
    ),
    (
        "duplicate key point id",
        edit("      - id: kp-own-part\n", "      - id: kp-purpose\n"),
        ("- id: kp-purpose", "I built a service or API"),
        [
            "questions[0].key_points[1].id: 'kp-purpose' is already used by "
            "questions[0].key_points[0]"
        ],
    ),
    (
        "duplicate YAML key",
        edit(
            "title: Backend Python Engineer\n",
            "title: Backend Python Engineer\ntitle: Backend Engineer\n",
        ),
        ("title: Backend Engineer", ""),
        ["duplicate key 'title' in the top-level mapping (first at line 7)", "remove or rename"],
    ),
    (
        "protected topic in a question",
        edit(
            "      Tell me about a production incident",
            "      Are you married? Tell me about a production incident",
        ),
        ("text:", "q5-production-incident"),
        [
            "questions[4].text: mentions family ('married')",
            "protected topic",
            "discrimination",
        ],
    ),
    (
        "protected topic in a probe",
        edit(
            "probe: How did you weigh the other person's argument?",
            "probe: Do your children make it hard to work late?",
        ),
        ("probe: Do your children", ""),
        ["questions[5].key_points[1].probe: mentions family ('children')"],
    ),
    (
        "protected topic in a requirement",
        edit(
            '  - text: "I write automated tests as a normal part of my work"\n',
            '  - text: "I am aged 30 or younger and write automated tests"\n',
        ),
        ("- text: \"I am aged 30", ""),
        ["requirements[3].text: mentions age", "protected topic"],
    ),
    (
        "years out of range",
        edit("    years: 3\n", "    years: 60\n"),
        ("years: 60", ""),
        ["requirements[0].years:", "40"],
    ),
    (
        "too few questions",
        SAMPLE[: SAMPLE.index("  - id: q5-production-incident")],
        ("questions:", ""),
        ["questions: needs 5 to 8 core questions, found 4"],
    ),
    (
        "id with capitals",
        edit("id: backend-python\n", "id: Backend_Python\n"),
        ("id: Backend_Python", ""),
        ["id: 'Backend_Python' is not a valid id", "lowercase letters, digits and dashes"],
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "words"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_each_mistake_is_one_problem_naming_file_line_key_and_fix(text, where, words):
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{NAME}:{line_of(text, *where)}: "), problems[0]
    for word in words:
        assert word in problems[0]


@pytest.mark.parametrize(
    ("text", "prefix", "words"),
    [
        (
            edit("title: Backend Python Engineer", "title: Backend: Python Engineer"),
            f"{NAME}:7:15: ",
            [
                "YAML syntax error",
                "mapping values are not allowed",
                "put the whole value in quotes",
            ],
        ),
        (
            edit("max_probes: 1\n", "max_probes: 1\n\tretired: true\n"),
            f"{NAME}:11:1: ",
            ["YAML syntax error", "spaces, not tabs"],
        ),
        (
            SAMPLE + "---\nid: other\n",
            f"{NAME}:{SAMPLE.count(chr(10)) + 1}:1: ",
            ["expected a single document", "one role per file"],
        ),
        (
            "",
            f"{NAME}:1: ",
            ["the file is empty", "version, id, title, documents, competencies, questions"],
        ),
        ("# only a comment\n", f"{NAME}:1: ", ["the file is empty"]),
        (
            "\n\n- version: 1\n- id: x\n",
            f"{NAME}:3: ",
            ["the top level must be a mapping", "found a list"],
        ),
    ],
    ids=["unquoted colon", "tab", "two documents", "empty", "comments only", "top-level list"],
)
def test_unreadable_files_say_where_and_how_to_fix(text, prefix, words):
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(prefix), problems[0]
    for word in words:
        assert word in problems[0]


def test_every_problem_is_reported_in_line_order():
    text = edit("title: Backend Python Engineer", "title: 2024")
    text = edit("    competency: production\n", "    competency: operations\n", text)
    text = edit("  - id: q3-slow-external-calls\n", "  - id: q2-lists-and-tuples\n", text)
    text = edit(
        "        probe: Who relied on that service, and what did they use it for?\n",
        "        probe: Who relied on that service, and what did they use it for?\n"
        "        prob: typo\n",
        text,
    )
    problems = problems_of(text)
    lines = [int(p.split(":")[1]) for p in problems]
    assert len(problems) == 4, problems
    assert lines == sorted(lines)
    assert [p.split(": ", 1)[1].split(" ")[0] for p in problems] == [
        "title:",
        "unknown",
        "questions[2].id:",
        "questions[4].competency:",
    ]


def test_missing_document_is_checked_against_the_knowledge_folder(tmp_path):
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "backend-python.md").write_text("# Backend\n", encoding="utf-8")
    text = edit("  - jobs/backend-python.md\n", "  - jobs/backend-python.md\n  - jobs/backend.md\n")
    assert isinstance(load_role_text(text, NAME), RoleTemplate)  # no folder given: not checked
    problems = problems_of(text, knowledge_dir=tmp_path)
    assert problems == [
        f"{NAME}:{line_of(text, '- jobs/backend.md')}: documents[1]: 'jobs/backend.md' does not "
        f"exist under {tmp_path}/; add the file or fix the path; "
        "did you mean 'jobs/backend-python.md'?"
    ]


def test_document_paths_must_stay_inside_knowledge():
    problems = problems_of(
        edit("  - jobs/backend-python.md\n", "  - ../secrets.md\n"), knowledge_dir=KNOWLEDGE
    )
    assert problems == [
        f"{NAME}:9: documents[0]: '../secrets.md' must be a path inside knowledge/, "
        f"such as jobs/backend-python.md"
    ]


def test_valid_text_loads_into_the_schema():
    role = load_role_text(SAMPLE, NAME)
    assert role.id == "backend-python" and role.version == 3
    assert role.question("q2-lists-and-tuples").anchors.level_5.startswith("Explains mutability")


def test_unquoted_anchor_levels_are_read_as_levels():
    text = SAMPLE.replace('      "1": >-', "      1: >-").replace('      "3": >-', "      3: >-")
    assert load_role_text(text, NAME).questions[0].anchors.level_1.startswith("Speaks only")


def test_schema_rejects_cross_reference_mistakes_built_in_code():
    data = load_role_text(SAMPLE, NAME).model_dump(by_alias=True)
    data["questions"][1]["competency"] = "nope"
    with pytest.raises(ValueError, match=r"questions\[1\]\.competency: 'nope' is not declared"):
        RoleTemplate.model_validate(data)


# Files and folders ---------------------------------------------------------------------------


@pytest.fixture
def roles_dir(tmp_path) -> Path:
    folder = tmp_path / "roles"
    shutil.copytree(ROLES, folder)
    return folder


def test_load_role_requires_the_id_to_match_the_file_name(roles_dir):
    path = roles_dir / "backend.yaml"
    (roles_dir / "backend-python.yaml").rename(path)
    with pytest.raises(TemplateError) as info:
        load_role(path)
    assert info.value.problems == [
        f"{path}:6: id: 'backend-python' does not match the file name 'backend.yaml'; "
        f"rename the file or set id: backend"
    ]


def test_load_roles_returns_roles_by_id_and_reports_every_broken_file(roles_dir):
    assert set(load_roles(roles_dir)) == {"backend-python", "customer-support", "data-analyst"}
    (roles_dir / "data-analyst.yaml").write_text("", encoding="utf-8")
    (roles_dir / "backend-python.yaml").write_text(
        edit("version: 3\n", "version: 0\n"), encoding="utf-8"
    )
    with pytest.raises(TemplateError) as info:
        load_roles(roles_dir)
    assert [p.split(": ")[0] for p in info.value.problems] == [
        f"{roles_dir / 'backend-python.yaml'}:5",
        f"{roles_dir / 'data-analyst.yaml'}:1",
    ]


def test_check_path_accepts_a_file_or_a_folder(roles_dir):
    assert check_path(roles_dir, KNOWLEDGE) == []
    assert check_path(roles_dir / "customer-support.yaml", KNOWLEDGE) == []


def test_check_path_reports_missing_and_misnamed_files(roles_dir, tmp_path):
    assert printed(check_path(tmp_path / "nope", KNOWLEDGE)) == [
        f"{tmp_path / 'nope'}: no such file or folder; "
        "pass a role template (.yaml) or a folder of them"
    ]
    (roles_dir / "customer-support.yaml").rename(roles_dir / "customer-support.yml")
    assert printed(check_path(roles_dir, KNOWLEDGE)) == [
        f"{roles_dir / 'customer-support.yml'}: role templates must end in .yaml to be published; "
        f"rename it to customer-support.yaml"
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no role templates (*.yaml) found" in check_path(empty, KNOWLEDGE)[0].message


def test_check_path_checks_documents_relative_to_the_knowledge_argument(roles_dir, tmp_path):
    problems = check_path(roles_dir, tmp_path)  # an empty knowledge folder
    assert len(problems) == 3
    # Records: the page reads the line and the key, never the printed text.
    assert all((p.line, p.key) == (9, "documents[0]") for p in problems)
    assert all("does not exist under" in p and ":9: documents[0]:" in p for p in printed(problems))
    assert printed(check_path(roles_dir, tmp_path / "missing")) == [
        f"{tmp_path / 'missing'}: knowledge folder not found, so documents were not checked; "
        "run from the project root or pass --knowledge PATH"
    ]


def test_check_main_prints_ok_and_exits_0(roles_dir, capsys):
    assert check_main([str(roles_dir), "--knowledge", str(KNOWLEDGE)]) == 0
    assert capsys.readouterr().out == "OK: 3 templates\n"
    assert check_main([str(roles_dir / "data-analyst.yaml"), "--knowledge", str(KNOWLEDGE)]) == 0
    assert capsys.readouterr().out == "OK: 1 template\n"


def test_check_main_prints_each_problem_and_exits_1(roles_dir, capsys):
    path = roles_dir / "backend-python.yaml"
    path.write_text(
        edit("title: Backend Python Engineer", "title: 2024").replace(
            "competency: production\n", "competency: operations\n"
        ),
        encoding="utf-8",
    )
    assert check_main([str(roles_dir), "--knowledge", str(KNOWLEDGE)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:7: title: expected text")
    assert out[1].startswith(
        f"{path}:{line_of(path.read_text(), 'competency: operations')}: "
        f"questions[4].competency: 'operations'"
    )
    assert out[2] == "2 problems found; fix and run the check again"


def test_check_main_defaults_to_the_project_folders(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert check_main([]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def test_examples_are_checked_and_a_missing_level_5_is_a_warning(tmp_path, capsys):
    text = (ROOT / "prompts" / "roles" / "data-analyst.yaml").read_text()
    bad = text.replace("      - level: 5\n", "      - level: 7\n", 1)
    (tmp_path / "data-analyst.yaml").write_text(bad)
    assert check_main([str(tmp_path / "data-analyst.yaml"), "--knowledge",
                       str(ROOT / "knowledge")]) == 1  # fmt: skip
    found = capsys.readouterr().out
    assert "examples[0].level: must be between 1 and 5, found a number (7)" in found
    no_five = text.replace("      - level: 5\n", "      - level: 4\n", 1)
    (tmp_path / "data-analyst.yaml").write_text(no_five)
    assert check_main([str(tmp_path / "data-analyst.yaml"), "--knowledge",
                       str(ROOT / "knowledge")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "warning:" in out and "none at level 5" in out and "OK: 1 template" in out
    unknown = text.replace("covers: [", "covers: [kp-nope, ", 1)
    (tmp_path / "data-analyst.yaml").write_text(unknown)
    assert check_main([str(tmp_path / "data-analyst.yaml"), "--knowledge",
                       str(ROOT / "knowledge")]) == 1  # fmt: skip
    assert "kp-nope" in capsys.readouterr().out


def printed(problems) -> list[str]:
    """Problems as `interviewer templates check` prints them."""
    return [str(p) for p in problems]
