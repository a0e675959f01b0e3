"""The house keeps its shape: arrows point inward, no import cycles, no framework (nor a file
format or validation library) in the core."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"sqlalchemy", "langchain", "langchain_core", "langchain_huggingface", "torch",
         "transformers", "chromadb", "gradio", "yaml", "pydantic", "pydantic_core",
         "argparse", "jinja2"}  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for top in ("bot", "ui"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" not in path.parts:
                rel = path.relative_to(ROOT).with_suffix("")
                found[".".join(rel.parts).removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """Every module name this file imports, at any depth (function-level imports included)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            out |= {base} | {f"{base}.{a.name}" for a in node.names}
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {i for i in imports(name, path) if i in known and i != name}
        for name, path in known.items()
    }


def test_there_are_no_import_cycles():
    edges = graph()
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(edges[node]):
            if seen.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for start in sorted(edges):
        if start not in seen:
            visit(start, [start])
    assert cycles == []


def test_gradio_stays_in_ui_and_bot_never_imports_ui():
    for name, path in modules().items():
        if name.startswith("bot"):
            found = imports(name, path)
            assert not any(i.split(".")[0] in ("gradio", "ui") for i in found), name


def test_the_core_imports_no_framework_model_or_database():
    for name, path in modules().items():
        if name.startswith("bot.core"):
            heavy = {i for i in imports(name, path) if i.split(".")[0] in HEAVY}
            assert not heavy, f"{name} imports {heavy}"
            outside = {i for i in imports(name, path)
                       if i.startswith("bot.") and not i.startswith("bot.core")}  # fmt: skip
            assert not outside, f"{name} reaches out of the core: {outside}"


def test_one_composition_root_builds_the_services():
    built = re.compile(r"(?<!class )\b(?:StaffService|InterviewService)\(")
    builders = [name for name, path in modules().items() if built.search(path.read_text())]
    assert builders == ["bot.wiring"]
