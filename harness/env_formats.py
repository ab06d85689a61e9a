"""``harness env --format …``: the world's environment in the syntax each consumer reads.

* ``sh``: ``export NAME='value'`` for ``eval "$(harness env)"`` (POSIX shells)
* ``dotenv``: ``NAME=value`` lines (double-quoted with escapes when needed) for ``.env`` files,
  Docker Compose ``env_file`` and the dotenv libraries
* ``json``: one object, for programs
* ``github``: GitHub Actions' ``$GITHUB_ENV`` file format (``NAME=value``; a value with a line
  break uses the ``NAME<<DELIMITER`` form), for ``harness env --format github >> "$GITHUB_ENV"``
  (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#setting-an-environment-variable)
* ``powershell``: ``$env:NAME = 'value'`` for ``harness env --format powershell | Invoke-Expression``
"""
from __future__ import annotations

import json
import re
import secrets
import shlex

FORMATS = ("sh", "dotenv", "json", "github", "powershell")
_PLAIN = re.compile(r"^[A-Za-z0-9_./:,@+%=-]*$")


def _dotenv_value(value: str) -> str:
    if _PLAIN.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("$", "\\$")
    return f'"{escaped}"'


def _github_line(name: str, value: str) -> str:
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}"
    delimiter = f"EOF_{secrets.token_hex(8)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}"


def render(env: dict, fmt: str) -> str:
    """``env`` as text in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    items = [(str(k), str(v)) for k, v in env.items()]
    if fmt == "json":
        return json.dumps(dict(items), indent=2) + "\n"
    if fmt == "sh":
        lines = [f"export {k}={shlex.quote(v)}" for k, v in items]
    elif fmt == "dotenv":
        lines = [f"{k}={_dotenv_value(v)}" for k, v in items]
    elif fmt == "github":
        lines = [_github_line(k, v) for k, v in items]
    elif fmt == "powershell":
        lines = ["$env:{} = '{}'".format(k, v.replace("'", "''")) for k, v in items]
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return "".join(line + "\n" for line in lines)
