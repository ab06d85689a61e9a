"""A world as a service for other languages and CI steps: ``harness up --detach``, ``harness
status``, ``harness down``.

``harness up`` (in the foreground, or as the detached child of ``up --detach``) writes a state
file once the world answers: the endpoints (``harness env`` reads its ``env``) plus the world
process's ``pid`` and start time, its ports and the health URL. ``harness down`` stops exactly
that process (the pid in the state, checked against the recorded start time and the pid the
health URL reports), never a process found by name.

The health URL, ``https://harness.internal/health``, is served by the world's own listener
(a host added with the runtime's ``extra_hosts``), so it is reachable the way every other host
is: through the proxy (``curl --proxy "$HTTPS_PROXY" --cacert "$AWS_CA_BUNDLE" …``) or straight
to the listener (``curl --cacert CA --connect-to harness.internal:443:127.0.0.1:PORT …``).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import requests

from world_common.keys import cache_dir

from .internet import routed_session
from .world.errors import WorldError

HEALTH_HOST = "harness.internal"
HEALTH_URL = f"https://{HEALTH_HOST}/health"
STATE_ENV = "HARNESS_STATE"


def default_state_file() -> str:
    """``$HARNESS_STATE``, else one file per user in the harness cache directory."""
    if os.environ.get(STATE_ENV):
        return os.environ[STATE_ENV]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return str(cache_dir() / f"running-{uid}.json")


def health_app(world_name: str):
    """The WSGI app behind :data:`HEALTH_URL`: 200 and who is serving, as JSON."""
    pid = os.getpid()
    started = time.time()

    def app(environ, start_response):
        if environ.get("PATH_INFO") not in ("/health", "/health/"):
            body = json.dumps({"error": "not found", "health": HEALTH_URL}).encode()
            start_response("404 Not Found", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        body = json.dumps({"status": "ok", "world": world_name, "pid": pid,
                           "uptime_s": round(time.time() - started, 3)}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store")])
        return [body]

    return app


def _process_start(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (Linux ``/proc``), to tell it from a later process that
    reused the number; ``None`` where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def state_record(endpoints: dict) -> dict:
    """What the world process writes to its state file (endpoints plus how to find it)."""
    pid = os.getpid()
    listener_port = int(endpoints["listener"].rsplit(":", 1)[1])
    proxy_port = int(endpoints["proxy"].rsplit(":", 1)[1])
    aws_port = int(endpoints["aws"]["endpoint_url"].rsplit(":", 1)[1]) if endpoints.get("aws") else None
    return {**endpoints, "pid": pid, "pid_start": _process_start(pid), "started": time.time(),
            "ports": {"listener": listener_port, "proxy": proxy_port, "aws": aws_port},
            "health_url": HEALTH_URL}


def write_state(path: str, record: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(record, fh, indent=2)
    os.replace(tmp, path)


def read_state(path: str) -> dict | None:
    """The state at ``path``; ``None`` when there is none; bad input (exit 2) when it is not one."""
    try:
        with open(path, encoding="utf-8") as fh:
            state = json.load(fh)
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise WorldError(f"not a harness state file: {exc}", file=path) from None
    if not isinstance(state, dict):
        raise WorldError("not a harness state file (expected a JSON object)", file=path)
    return state


def remove_state(path: str) -> None:
    for name in (path, f"{path}.tmp"):
        try:
            os.unlink(name)
        except OSError:
            pass


def check_health(state: dict, timeout: float = 2.0) -> dict | None:
    """The health document of the world ``state`` describes, or ``None`` when it does not answer."""
    port = (state.get("ports") or {}).get("listener")
    ca_file = state.get("ca_file")
    if not port or not ca_file or not os.path.exists(ca_file):
        return None
    try:
        with routed_session(int(port), [HEALTH_HOST], ca_file) as http:
            response = http.get(HEALTH_URL, timeout=timeout)
        return response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None


def alive(state: dict) -> bool:
    """Is the process the state names still the one that wrote it?"""
    pid = state.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by someone else: the start time below decides
    recorded, now = state.get("pid_start"), _process_start(pid)
    return recorded is None or now is None or recorded == now


def refuse_if_running(path: str) -> None:
    """Bad input when a world already runs under this state file; a stale file is removed."""
    state = read_state(path)
    if state is None:
        return
    if alive(state):
        raise WorldError(f"a world is already running (pid {state.get('pid')}, {state.get('listener')}); "
                         f"stop it with `harness down`, or start another with --state OTHER_FILE", file=path)
    remove_state(path)


def start_detached(child_argv: list[str], state_path: str, timeout: float = 120.0) -> int:
    """Run ``child_argv`` (a foreground ``harness up … --state state_path``) as a daemon in its own
    session; return 0 once its state file names it and its health URL answers. When the child
    exits first (a bad world file, say) its output is printed and its exit code returned."""
    refuse_if_running(state_path)
    log_path = f"{state_path}.log"
    os.makedirs(os.path.dirname(os.path.abspath(state_path)), exist_ok=True)
    with open(log_path, "wb") as log:
        child = subprocess.Popen(child_argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True, close_fds=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = child.poll()
        if code is not None:
            sys.stderr.write(_tail(log_path))
            print(f"harness: the world process exited ({code}) before it answered; log: {log_path}", file=sys.stderr)
            return code or 1
        state = read_state(state_path)
        if state is not None and state.get("pid") == child.pid:
            health = check_health(state)
            if health is not None and health.get("pid") == child.pid:
                return 0
        time.sleep(0.1)
    os.killpg(child.pid, signal.SIGTERM)
    print(f"harness: the world did not answer within {timeout:.0f} s (stopped it); log: {log_path}", file=sys.stderr)
    return 1


def _tail(path: str, limit: int = 4000) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()[-limit:]
    except OSError:
        return ""


def stop(state_path: str, timeout: float = 20.0) -> str:
    """Stop the world the state file names; a sentence saying what happened."""
    state = read_state(state_path)
    if state is None:
        return f"no world is running (no state file {state_path})"
    pid = state.get("pid")
    if not alive(state):
        remove_state(state_path)
        return f"the world (pid {pid}) had already stopped; removed its state file"
    health = check_health(state)
    if health is not None and health.get("pid") != pid:
        raise WorldError(f"the world answering on {state.get('listener')} is pid {health.get('pid')}, not pid {pid} "
                         "as recorded; not stopping either", file=state_path)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(state):
        time.sleep(0.05)
    if alive(state):
        os.kill(pid, signal.SIGKILL)
    remove_state(state_path)
    return f"stopped the world (pid {pid})"


def status(state_path: str) -> tuple[int, str]:
    """(exit code, text): 0 when the world answers, 1 when none runs or it does not answer."""
    state = read_state(state_path)
    if state is None:
        return 1, f"no world is running (no state file {state_path})"
    if not alive(state):
        return 1, f"not running: the world (pid {state.get('pid')}) has stopped; stale state {state_path}"
    health = check_health(state)
    if health is None:
        return 1, f"not answering: pid {state.get('pid')} is alive but {HEALTH_URL} does not answer"
    ports = state.get("ports") or {}
    return 0, (f"running: world {health.get('world')!r}, pid {state.get('pid')}, listener {state.get('listener')}, "
               f"proxy {state.get('proxy')}, moto {ports.get('aws')}, up {health.get('uptime_s')} s, "
               f"health {HEALTH_URL}; state {state_path}")
