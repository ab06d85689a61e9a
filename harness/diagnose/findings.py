"""What a finding is: its severity, the settings on both sides with their file:line, what the
user sees, the fix, and the sign-ins (:class:`Probe`) that show it at run time."""
from __future__ import annotations

import functools
import pathlib
import re
from dataclasses import asdict, dataclass, field

from harness.iac.located import where as located_where


@dataclass
class Setting:
    name: str
    value: object
    where: str


@dataclass
class Finding:
    check: str
    severity: str                    # error | warning | info
    summary: str
    settings: list = field(default_factory=list)
    user_sees: str = ""
    fix: str = ""
    reference: str = ""
    plan: list = field(default_factory=list, repr=False)   # the Probes that show it at run time
    probe: dict | None = None                              # what --probe saw (see confirm())
    unprobed: str = field(default="", repr=False)          # why no sign-in can show it


    def to_dict(self) -> dict:
        out = asdict(self)
        del out["plan"], out["unprobed"]
        return out

    def expecting(self, *probes: "Probe") -> "Finding":
        self.plan = list(probes)
        return self


@dataclass
class Probe:
    """One sign-in that shows a finding at run time, and the texts (any of them) it must show.

    ``flow``: ``authorize`` (the app's /oauth2/authorize with ``identity_provider``), ``tile``
    (the Okta tile, IdP-initiated), ``console`` (the AWS app's tile to the AWS console), ``cli``
    (Okta's SAML response to STS with the app's Session Duration), ``alb`` (a visit to the ALB).
    ``twice``: sign in twice; the second sign-in must show ``expect`` (immutable attributes), or
    with ``expect`` empty the two sign-ins must make two different Cognito users (NameID)."""

    flow: str
    expect: tuple = ()
    app: str | None = None          # Okta app label
    pool: str | None = None         # PoolName
    provider: str | None = None     # ProviderName
    client: str | None = None       # ClientId
    user: str | None = None         # Okta login (default: the app's first assigned user with a password)
    role: str | None = None         # role ARN to pick on the AWS role picker
    params: dict | None = None      # authorize parameters (the Okta Default RelayState's)
    lb: str | None = None           # ALB name
    twice: bool = False


def setting(record, name, label=None, key=None, needle=None) -> Setting:
    """``record.name`` (or its ``key`` entry) with its file:line: the line of the entry itself
    when the source writes it on a line of its own (``email = "email"`` inside
    ``attribute_mapping = {``), or the line holding ``needle`` (a wrong value)."""
    value = record.get(name) if key is None else (record.get(name) or {}).get(key)
    file, line = record.loc(name)
    container = record.get(name)
    if key is not None and hasattr(container, "lines") and key in container.lines:
        line = container.lines[key]
        file = getattr(line, "file", file)
    if line and (key is not None or needle is not None):
        line = pinpoint(file, int(line), key, needle)
    elif line and name not in (_lines(file)[int(line) - 1:int(line)] or ("",))[0]:
        line = pinpoint(file, int(line), name)   # a JSON setting inside app_settings_json = jsonencode({
    return Setting(label or name, value, f"{file}:{line}" if line else file)


_BLOCK_START = re.compile(r"^(resource|data|module|variable|output|locals|provider|terraform)\b|^[A-Za-z]")


@functools.lru_cache(maxsize=64)
def _lines(file: str) -> tuple:
    try:
        return tuple(pathlib.Path(file).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def pinpoint(file: str, line: int, key=None, needle=None) -> int:
    """The line at or after ``line`` (within its block) that sets ``key`` or holds ``needle``;
    for a ``needle``, else anywhere in the file (a policy document declared elsewhere)."""
    text = _lines(file)
    patterns = []
    if key is not None:
        patterns.append(re.compile(r'^\s*["\']?' + re.escape(str(key)) + r'["\']?\s*[=:]'))
    if needle not in (None, ""):
        patterns.append(re.compile(re.escape(str(needle))))
    for pattern in patterns:
        for i in range(line - 1, min(len(text), line + 300)):
            if i > line - 1 and _BLOCK_START.match(text[i]):
                break
            if pattern.search(text[i]):
                return i + 1
    if needle not in (None, ""):
        for i, content in enumerate(text):
            if str(needle) in content:
                return i + 1
    return line


def where(line) -> str:
    return located_where(line)
