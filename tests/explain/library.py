"""The scenario library's cases and their worlds, for the explain tests."""
from __future__ import annotations

import os

from harness.world import load_text
from scenarios import execute, spec
from scenarios.world_changes import world_text

LIBRARY = os.path.join(os.path.dirname(execute.__file__), "library")


def library_error_cases() -> list:
    """Every case of the scenario library that ends in an error."""
    cases = []
    for name in sorted(os.listdir(LIBRARY)):
        if name.endswith(".yaml"):
            cases += [c for c in spec.load_file(os.path.join(LIBRARY, name)) if c.expect and c.expect.error]
    return cases


def library_case(file_name: str, case_name: str):
    return next(c for c in spec.load_file(os.path.join(LIBRARY, file_name)) if c.name == case_name)


def case_world(case):
    """The case's world (the default world with the case's changes), loaded as a world file."""
    return load_text(case.world_text or world_text(case.world_file, case.world_changes, case.file), case.where)


