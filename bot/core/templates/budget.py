"""Limits on a YAML text before it is built into data, checked in one pass over its events.

A few hundred bytes of nested aliases expand to gigabytes ("billion laughs"), thousands of
nested brackets exhaust the parser's recursion, and a huge paste ties up a worker. A role
template is a few kilobytes written by a person, so these limits never touch a real one; each
refusal names the limit and what to write instead, within milliseconds.
"""

from __future__ import annotations

import yaml

MAX_BYTES = 256 * 1024  # a real template is 5-20 KB
MAX_ALIASES = 20  # '*name' references: templates need none
MAX_DEPTH = 16  # nesting of mappings and lists: templates use 5
MAX_NODES = 20_000  # keys, values and list items in all


def over_budget(text: str, filename: str) -> str | None:
    """The problem with the text's size or shape, or None when it is within every limit."""
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_BYTES:
        return (f"{filename}:1: the text is {size // 1024} KB; the limit is {MAX_BYTES // 1024} "
                "KB for a role template: split it or remove pasted material")  # fmt: skip
    depth = aliases = nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return (f"{filename}:{line}: more than {MAX_ALIASES} aliases ('*name'); "
                            "the limit keeps a template from expanding without end: write the "
                            "values out in full")  # fmt: skip
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return (f"{filename}:{line}: nested more than {MAX_DEPTH} levels deep; a "
                            "role template needs about 5: remove the extra brackets or "
                            "indentation")  # fmt: skip
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    return (f"{filename}:{line}: more than {MAX_NODES} values; a role template "
                            "has a few hundred: remove the repeated material")  # fmt: skip
    except yaml.YAMLError:
        return None  # a syntax error: the reader reports it with its line and a hint
    except RecursionError:
        return f"{filename}:1: nested too deeply to read; the limit is {MAX_DEPTH} levels"
    return None
