"""Reading role template files: every problem found, each naming file:line, the key and the fix.

HR edits YAML by hand or in the browser, so errors point at the line they typed; PyYAML's
node marks give the lines, pydantic's error locations give the keys.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from bot.core.errors import TemplateError
from bot.core.problems import Problem
from bot.roles.budget import over_budget
from bot.roles.schema import (
    Loc,
    RoleTemplate,
    _cross_reference,
    _did_you_mean,
    _dotted,
)

# Loading ---------------------------------------------------------------------------------------


def load_role_text(text: str, filename: str, *, knowledge_dir: Path | None = None) -> RoleTemplate:
    """Parse and validate one template's text; raise TemplateError listing every problem."""
    role, problems = _check_text(text, filename, knowledge_dir=knowledge_dir)
    if problems or role is None:
        raise TemplateError(problems)
    return role


def load_role(path: Path, *, knowledge_dir: Path | None = None) -> RoleTemplate:
    """Load one template file; its id must match the file name."""
    role, problems = _check_file(path, knowledge_dir)
    if problems or role is None:
        raise TemplateError(problems)
    return role


def load_roles(dir: Path, *, knowledge_dir: Path | None = None) -> dict[str, RoleTemplate]:
    """Load every *.yaml in a folder, by role id; raise TemplateError listing all problems."""
    if not dir.is_dir():
        raise TemplateError(f"{dir}: no such folder; create it or set roles_dir to your templates")
    roles: dict[str, RoleTemplate] = {}
    problems: list[Problem] = []
    for path in sorted(dir.glob("*.yaml")):
        role, found = _check_file(path, knowledge_dir)
        problems += found
        if role is not None:
            roles[role.id] = role
    if problems:
        raise TemplateError(problems)
    return roles


def check_path(path: Path, knowledge_dir: Path = Path("knowledge")) -> list[Problem]:
    """Every problem in a template file or a folder of them, documents included; [] if fine."""
    problems: list[Problem] = []
    documents: Path | None = knowledge_dir
    if not knowledge_dir.is_dir():
        problems.append(Problem(str(knowledge_dir), None, "knowledge folder not found, so "
                                "documents were not checked; run from the project root or pass "
                                "--knowledge PATH"))  # fmt: skip
        documents = None
    if path.is_file():
        return problems + _check_file(path, documents)[1]
    if not path.is_dir():
        return [Problem(str(path), None, "no such file or folder; pass a role template (.yaml) "
                        "or a folder of them")]  # fmt: skip
    for p in sorted(path.glob("*.yml")):
        problems.append(Problem(str(p), None, "role templates must end in .yaml to be "
                                f"published; rename it to {p.stem}.yaml"))  # fmt: skip
    files = sorted(path.glob("*.yaml"))
    if not files and not problems:
        problems.append(Problem(str(path), None, "no role templates (*.yaml) found; copy a "
                                "sample role to start"))  # fmt: skip
    for file in files:
        problems += _check_file(file, documents)[1]
    return problems


def warnings_for(path: Path) -> list[str]:
    """What a valid template would do better (printed, never a failure): a question with
    graded examples but none at level 5 leaves the evaluator guessing what full marks sound
    like."""
    files = [path] if path.is_file() else sorted(path.glob("*.yaml"))
    out = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        role, problems = _check_text(text, str(file), stem=file.stem)
        if role is None or problems:
            continue
        for i, q in enumerate(role.questions):
            if q.examples and all(e.level != 5 for e in q.examples):
                line = next((n for n, t in enumerate(text.splitlines(), 1)
                             if f"id: {q.id}" in t), 1)  # fmt: skip
                out.append(
                    f"{file}:{line}: questions[{i}] ({q.id}) has graded examples but none at "
                    "level 5; add a strong answer as a candidate would give it (level: 5), so "
                    "the evaluator learns what full marks sound like"
                )
    return out


def _check_file(
    path: Path, knowledge_dir: Path | None
) -> tuple[RoleTemplate | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(str(path), 1, "the file is not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(str(path), None, f"cannot read it ({exc.strerror}); check the "
                              "path and permissions")]  # fmt: skip
    return _check_text(text, str(path), stem=path.stem, knowledge_dir=knowledge_dir)


def _check_text(
    text: str, filename: str, *, stem: str | None = None, knowledge_dir: Path | None = None
) -> tuple[RoleTemplate | None, list[Problem]]:
    refused = over_budget(text, filename)
    if refused:
        return None, [Problem.read(refused)]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_syntax_problem(exc, filename)]
    except yaml.YAMLError as exc:
        return None, [Problem(filename, 1, f"cannot read it as YAML ({exc}); save it as plain "
                              "UTF-8 text")]  # fmt: skip
    if root is None:
        required = ", ".join(k for k, info in _fields(RoleTemplate).items() if info.is_required())
        return None, [Problem(filename, 1, f"the file is empty; a role template needs {required} "
                              "(start from a sample in prompts/roles/)")]  # fmt: skip
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(filename, root.start_mark.line + 1, "the top level must be a "
                              f"mapping of keys ({_allowed(RoleTemplate)}), found "
                              f"{_kind_of_node(root)}")]  # fmt: skip
    tree = _Tree()
    data = tree.build(root, ())
    found = _cross_reference(data)
    role = None
    try:
        role = RoleTemplate.model_validate(data)
    except ValidationError as exc:
        tree.problems += [tree.explain(error) for error in _without_twins(exc.errors())]
    if stem is not None and isinstance(data.get("id"), str) and data["id"] != stem:
        found.append((("id",), f"'{data['id']}' does not match the file name '{stem}.yaml'; "
                      f"rename the file or set id: {stem}"))
    if knowledge_dir is not None:
        found += _missing_documents(data.get("documents"), knowledge_dir)
    tree.problems += [(tree.line(loc), f"{_dotted(loc)}: {msg}") for loc, msg in found]
    tree.problems.sort(key=lambda p: p[0])
    problems = [Problem.at(filename, line, msg) for line, msg in tree.problems]
    return (None if problems else role), problems


def _without_twins(errors: list[Any]) -> list[Any]:
    """Drop what _cross_reference reports itself, and a 'missing' key that is a typo'd one."""
    meant: set[Loc] = set()  # keys that an unknown key is probably a misspelling of
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = tuple(e["loc"][:-1])
            allowed = list(_fields(_model_at(parent)))
            close = difflib.get_close_matches(str(e["loc"][-1]), allowed, n=1)
            meant |= {(*parent, m) for m in close}
    return [e for e in errors
            if e["type"] not in ("role_cross_reference", "duplicate_key_point")
            and not (e["type"] == "missing" and tuple(e["loc"]) in meant)]


def _missing_documents(documents: Any, knowledge_dir: Path) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for i, doc in enumerate(documents if isinstance(documents, list) else []):
        if not isinstance(doc, str) or doc.startswith("/") or ".." in doc:
            continue  # the schema reports these
        if (knowledge_dir / doc).is_file():
            continue
        existing = [p.relative_to(knowledge_dir).as_posix() for p in knowledge_dir.rglob("*")
                    if p.is_file()]
        fix = "add the file or fix the path"
        if doc.startswith("knowledge/"):
            fix = f"write it without the leading 'knowledge/': {doc.removeprefix('knowledge/')}"
        problems.append((("documents", i), f"'{doc}' does not exist under {knowledge_dir}/; "
                         f"{fix}{_did_you_mean(doc, existing)}"))
    return problems


def _yaml_syntax_problem(exc: yaml.MarkedYAMLError, filename: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    hints = (
        ("'\\t'", "indent with spaces, not tabs"),
        ("mapping values are not allowed", "a value contains ': '; put the whole value in quotes, "
         "or write '>-' after the key and the text on the following lines"),
        ("single document", "one role per file: remove the extra '---' line"),
        ("quoted scalar", "a quote is not closed; close it or remove it"),
        ("expected ':'", "each line of a mapping needs 'key: value'; check for a missing colon"),
        ("block end", "check the indentation (keys at the same level must line up) and that "
         "every quote opened above is closed"),
    )
    hint = next((h for needle, h in hints if needle in what),
                "check the indentation and quoting on this line and the one above")
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, None)
    return Problem(filename, line, f"YAML syntax error: {what}; {hint}", column)


class _Tree:
    """Builds plain data from YAML nodes, remembering each key's line and spotting duplicates."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.problems: list[tuple[int, str]] = []
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append((line, f"{_parent(loc)}: keys must be plain names, "
                                          f"not {_kind_of_node(key_node)}"))
                    continue
                key = key_node.value
                if key in result:
                    first = self.lines[(*loc, key)]
                    self.problems.append((line, f"duplicate key '{key}' in {_parent(loc)} (first "
                                          f"at line {first}); YAML would keep only the last one, "
                                          f"so remove or rename one of them"))
                    continue
                self.lines[(*loc, key)] = line
                result[key] = self.build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        try:
            return self._scalars.construct_object(node)
        except yaml.YAMLError:
            self.problems.append((node.start_mark.line + 1, f"{_dotted(loc)}: unsupported YAML tag "
                                  f"'{node.tag}'; remove it and write a plain value"))
            return node.value

    def line(self, loc: Loc) -> int:
        """The line of the key (or list item) at loc, else of its nearest known parent."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def explain(self, error: Any) -> tuple[int, str]:
        loc: Loc = tuple(error["loc"])
        kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
        where = _dotted(loc)
        if kind == "missing":
            key, parent = loc[-1], loc[:-1]
            info = _field_at(loc)
            what = f": {info.description}" if info and info.description else ""
            return self.line(parent), (f"missing required key '{key}' in {_parent(parent)}; "
                                       f"add {key}{what}")
        if kind == "extra_forbidden":
            allowed = _allowed(_model_at(loc[:-1]))
            return self.line(loc), (f"unknown key '{loc[-1]}' in {_parent(loc[:-1])} (allowed: "
                                    f"{allowed}){_did_you_mean(str(loc[-1]), allowed.split(', '))}")
        if loc == ("version",):
            return self.line(loc), (f"version: must be a positive whole number (1, 2, 3, ...), "
                                    f"found {_kind(value)}; use 1 for a new role and raise it by "
                                    f"one for each published change")
        return self.line(loc), f"{where}: {_describe(kind, value, ctx, loc, error['msg'])}"


def _describe(kind: str, value: Any, ctx: Mapping[str, Any], loc: Loc, msg: str) -> str:
    """What is wrong with one value, and what to write instead."""
    found = _kind(value)
    if kind in ("too_short", "too_long"):
        info = _field_at(loc)
        low, high = _bounds(info)
        noun = {"questions": "core questions"}.get(str(loc[-1]), str(loc[-1]).replace("_", " "))
        needs = f"{low} to {high}" if high is not None else f"at least {low}"
        fix = ("add " if kind == "too_short" else "remove or merge ") + noun
        if loc[-1] == "key_points":
            fix = ("add key points a good answer covers" if kind == "too_short"
                   else "merge or remove key points so each is one checkable statement")
        return f"needs {needs} {noun}, found {ctx.get('actual_length', len(value or []))}; {fix}"
    if kind == "string_too_short":
        return (f"too short ({found}): needs at least {ctx['min_length']} characters; "
                f"write it out in full")
    if kind == "string_pattern_mismatch":
        return (f"{found} is not a valid id: use lowercase letters, digits and dashes, "
                f"starting with a letter or digit (e.g. data-analyst)")
    if kind == "string_type":
        fix = ("write the text after the colon" if value is None
               else "write it as a single piece of text" if isinstance(value, (list, dict))
               else "put it in quotes")
        return f"expected text, found {found}; {fix}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {found}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, found {found}"
    if kind == "list_type":
        return f"expected a list (one '- ' item per line), found {found}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping with keys {_allowed(_model_at(loc))}, found {found}"
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(_field_at(loc))
        return f"must be between {low} and {high}, found {found}"
    return str(msg).removeprefix("Value error, ")


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The schema model that describes the mapping at loc, if any."""
    current: Any = RoleTemplate
    for part in loc:
        if isinstance(part, int):
            current = _unwrap(current)
            if get_origin(current) is not list:
                return None
            current = get_args(current)[0]
        else:
            model = _unwrap(current)
            info = _fields(model).get(part) if isinstance(model, type) else None
            if info is None:
                return None
            current = info.annotation
    model = _unwrap(current)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _field_at(loc: Loc) -> FieldInfo | None:
    model = _model_at(loc[:-1])
    return _fields(model).get(str(loc[-1])) if model is not None else None


def _fields(model: Any) -> dict[str, FieldInfo]:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return {}
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _bounds(info: FieldInfo | None) -> tuple[Any, Any]:
    low = high = None
    for rule in info.metadata if info else []:
        low = next((getattr(rule, a) for a in ("min_length", "ge") if hasattr(rule, a)), low)
        high = next((getattr(rule, a) for a in ("max_length", "le") if hasattr(rule, a)), high)
    return low, high


def _allowed(model: type[BaseModel] | None) -> str:
    return ", ".join(_fields(model)) if model else "?"


def _parent(loc: Loc) -> str:
    return _dotted(loc) if loc else "the top-level mapping"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} ({value})"


def _kind_of_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "a list" if isinstance(node, yaml.SequenceNode) else f"a single value ('{node.value}')"

