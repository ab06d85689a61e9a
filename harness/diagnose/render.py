"""The findings as text for a terminal (or a log)."""
from __future__ import annotations

COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}


PROBE_COLOURS = {"confirmed": "\033[32m", "not confirmed": "\033[35m", "not probed": "\033[2m"}


def probe_line(probe: dict, colour: bool = False) -> str:
    result = probe["result"]
    tag = f"{PROBE_COLOURS[result]}{result}\033[0m" if colour else result
    last = probe["sign_ins"][-1] if probe["sign_ins"] else None
    if result == "confirmed":
        return f"{tag}: {last['flow']} as {last['user']} showed {last['seen']!r}"
    if result == "not confirmed":
        where = f" ({last['flow']} as {last['user']})" if last else ""
        return f"{tag}: saw {probe['saw']!r}{where}"
    return f"{tag}: {probe['why']}"


def render(findings, colour: bool) -> str:
    if not findings:
        return "harness diagnose: no findings: the Okta side and the AWS side agree"
    lines = []
    for f in findings:
        tag = f.severity.upper()
        if colour:
            tag = f"{COLOURS[f.severity]}{tag}\033[0m"
        lines.append(f"{tag:<8} {f.check}: {f.summary}")
        for s in f.settings:
            value = s.value if not isinstance(s.value, str) or len(s.value) < 100 else s.value[:97] + "..."
            lines.append(f"         {s.where}  {s.name} = {value!r}")
        if f.user_sees:
            lines.append(f"         user sees: {f.user_sees}")
        if f.fix:
            lines.append(f"         fix: {f.fix}   [{f.reference}]")
        if f.probe is not None:
            lines.append(f"         probe: {probe_line(f.probe, colour)}")
    counts = {k: sum(1 for f in findings if f.severity == k) for k in ("error", "warning", "info")}
    lines.append(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return "\n".join(lines)
