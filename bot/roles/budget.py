"""Limits on a YAML text before it is built into data: one pass over its events, then the
size it would have with every alias written out, counted on the composed nodes.

A few hundred bytes of nested aliases expand to gigabytes ("billion laughs"): twenty aliases
of `[*prev, *prev]` are a million values, though the text holds a few hundred. Thousands of
nested brackets exhaust the parser's recursion, and a huge paste ties up a worker. A role
template is a few kilobytes written by a person, so these limits never touch a real one; each
refusal names the limit and what to write instead, within milliseconds.
"""

from __future__ import annotations

import yaml

MAX_BYTES = 256 * 1024  # a real template is 5-20 KB
MAX_ALIASES = 20  # '*name' references: templates need none
MAX_DEPTH = 16  # nesting of mappings and lists: templates use 5
MAX_NODES = 20_000  # keys, values and list items in all, aliases written out
# libyaml where PyYAML has it (the wheels do): 20x faster on a big paste. Its event stream
# refuses deep nesting with a bare syntax error, so a text it refuses is walked again in pure
# Python, which names the line and the limit.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def over_budget(text: str, filename: str) -> str | None:
    """The problem with the text's size or shape, or None when it is within every limit."""
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_BYTES:
        return (f"{filename}:1: the text is {size // 1024} KB; the limit is {MAX_BYTES // 1024} "
                "KB for a role template: split it or remove pasted material")  # fmt: skip
    try:
        problem, aliases = _event_problem(text, filename, LOADER)
    except yaml.YAMLError:
        try:
            problem, aliases = _event_problem(text, filename, yaml.SafeLoader)
        except yaml.YAMLError:
            return None  # a syntax error: the reader reports it with its line and a hint
    except RecursionError:
        return f"{filename}:1: nested too deeply to read; the limit is {MAX_DEPTH} levels"
    if problem:
        return problem
    if aliases:
        return _expanded_problem(text, filename)
    return None


def _event_problem(text: str, filename: str, loader) -> tuple[str | None, int]:
    """One pass over the parse events: (the first limit broken or None, aliases seen)."""
    depth = aliases = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        problem = None
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                problem = (f"{filename}:{line}: more than {MAX_ALIASES} aliases ('*name'); the "
                           "limit keeps a template from expanding without end: write the "
                           "values out in full")  # fmt: skip
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                problem = (f"{filename}:{line}: nested more than {MAX_DEPTH} levels deep; a "
                           "role template needs about 5: remove the extra brackets or "
                           "indentation")  # fmt: skip
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                problem = (f"{filename}:{line}: more than {MAX_NODES} values; a role template "
                           "has a few hundred: remove the repeated material")  # fmt: skip
        if problem:
            return problem, aliases
    return None, aliases


def _expanded_problem(text: str, filename: str) -> str | None:
    """Values counted as if every alias were written out, each shared node sized once."""
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return None
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise ValueError("an alias refers to the value that contains it")
        open_nodes.add(key)
        if isinstance(node, yaml.MappingNode):
            n = sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = sum(size(item) for item in node.value)
        else:
            n = 1
        open_nodes.discard(key)
        sizes[key] = min(n, MAX_NODES + 1)  # past the limit the exact count does not matter
        return sizes[key]

    try:
        total = size(root) if root is not None else 0
    except ValueError as exc:
        return f"{filename}:1: {exc}; write the values out in full"
    if total > MAX_NODES:
        return (f"{filename}:1: with its aliases ('*name') written out the text holds more than "
                f"{MAX_NODES} values; a role template has a few hundred: write the values out "
                "once, without aliases")  # fmt: skip
    return None
