"""The one error a world (or scenario) file can raise: it names the file, line and field."""
from __future__ import annotations


class WorldError(Exception):
    """A problem in a world, scenario or IaC file, located at ``file:line`` and ``field``."""

    exit_code = 2

    def __init__(self, message: str, *, file: str = "<world>", line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{what} {self.message}"


class WorldErrors(WorldError):
    """Several problems found in one pass, reported together."""

    def __init__(self, errors: list[WorldError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, file=first.file, line=first.line, field=first.field)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
