"""A problem in a role template, as a record: where it is (file, line, column), which key, and
the message with its fix. Printed it reads as an editor's `file:line: message`; pages read the
fields (the HR editor puts each problem beside its line) instead of parsing the text back."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHERE = re.compile(
    r"^(?P<file>[^\n]+?):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<message>.*)$", re.S
)
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*(?:\[\d+\]|\.[\w-]+)*): ")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # None: the problem is with the file or folder as a whole
    message: str  # what is wrong and the fix, in HR's words
    column: int | None = None
    key: str | None = None  # the dotted key it is about ("questions[0].key_points"), if one

    def __str__(self) -> str:
        if not self.file:
            return self.message
        if self.line is None:
            return f"{self.file}: {self.message}"
        column = f":{self.column}" if self.column else ""
        return f"{self.file}:{self.line}{column}: {self.message}"

    @classmethod
    def at(cls, file: str, line: int | None, message: str, column: int | None = None) -> Problem:
        """A problem whose message may start with the key it is about ('version: must ...')."""
        found = _KEY.match(message)
        return cls(file, line, message, column, found["key"] if found else None)

    @classmethod
    def read(cls, text: str) -> Problem:
        """A problem from its printed form (`file:line[:column]: message`, or `file: message`)."""
        found = _WHERE.match(text)
        if found:
            column = int(found["column"]) if found["column"] else None
            return cls.at(found["file"], int(found["line"]), found["message"], column)
        file, sep, message = text.partition(": ")
        return cls(file, None, message) if sep and "\n" not in file else cls("", None, text)
