"""Run a world's Lambda functions: the user's own handler, in a separate process with the runtime
its ``Runtime`` names (``python3.x``: this interpreter, which has boto3 as Lambda's does;
``nodejs*``: the system ``node``).

Each function keeps warm worker processes (one request at a time each, more made when several
sign-ins run at once), as Lambda keeps warm execution environments. A worker that times out is
killed. Seam::

    Functions(aws_record, program_env).invoke(arn, event, timeout) -> Invocation
    Functions.close()
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from world_common import serving_cpu
from world_common.urls import lambda_function_arn
from world_common.world_model import AwsAccount, Function

HERE = Path(__file__).parent
NODE = shutil.which("node") or "/usr/bin/node"
INIT_TIMEOUT = 10.0   # Lambda's limit for a function's init phase


@dataclass
class Invocation:
    """One invocation: the function's result or Lambda's error object, what it printed."""
    function: str
    request_id: str
    result: object = None
    error: dict | None = None      # {"errorType", "errorMessage", ...}
    timed_out: bool = False
    logs: str = ""
    duration_ms: float = 0.0


@dataclass
class Spec:
    name: str
    arn: str
    runtime: str
    handler: str
    task_root: str
    timeout: int
    env: dict = field(default_factory=dict)

    def command(self) -> list[str]:
        if self.runtime.startswith("nodejs"):
            return [NODE, str(HERE / "bootstrap_node.js"), self.task_root, self.handler]
        return [sys.executable, "-u", str(HERE / "bootstrap_python.py"), self.task_root, self.handler]


class Worker:
    def __init__(self, spec: Spec, env: dict) -> None:
        self.spec, self.ready = spec, False
        self.process = subprocess.Popen(spec.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=spec.task_root, env=env)
        serving_cpu.release(self.process.pid)   # started from a serving thread: not on its one CPU

    def _wait_ready(self) -> bool:
        """Lambda's init phase (importing the handler's module, code at its top level) has its own
        10-second limit and does not count against the function's Timeout."""
        if self.ready:
            return True
        ready, _, _ = select.select([self.process.stdout], [], [], INIT_TIMEOUT)
        line = self.process.stdout.readline() if ready else b""
        self.ready = line.strip() == b'{"ready": true}'
        return self.ready

    def call(self, request: dict, timeout: float) -> dict | None:
        """The worker's answer, or None when it did not answer within ``timeout`` seconds."""
        if not self._wait_ready():
            return None
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            return {"errorType": "Runtime.ExitError",
                    "errorMessage": f"RequestId: {request['context']['aws_request_id']} Error: Runtime exited "
                                    f"with error: exit status {code}", "logs": ""}
        return json.loads(line)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()


class Functions:
    """The world's ``aws.Functions``, by ARN; ``program_env`` is what other programs need to reach
    the world (proxy, CA bundle, credentials), so a handler's boto3 calls reach its Cognito."""

    def __init__(self, aws: AwsAccount, program_env: dict | None = None) -> None:
        self._lock = threading.Lock()
        self._idle: dict[str, list[Worker]] = {}
        self._tmp = tempfile.TemporaryDirectory(prefix="harness-lambda-")
        self.specs: dict[str, Spec] = {}
        for fn in aws.Functions:
            arn = lambda_function_arn(aws.region, aws.account_id, fn.FunctionName)
            variables = ((fn.Environment or {}).get("Variables") or {})
            self.specs[arn] = Spec(name=fn.FunctionName, arn=arn, runtime=fn.Runtime, handler=fn.Handler,
                                   task_root=self._task_root(fn), timeout=fn.Timeout,
                                   env={k: str(v) for k, v in variables.items()})
        self.program_env = dict(program_env or {})
        self.region = aws.region

    def _task_root(self, fn: Function) -> str:
        if fn.CodeUri:
            return fn.CodeUri
        # CloudFormation's inline ZipFile becomes index.py / index.js (AWS::Lambda::Function Code).
        folder = Path(self._tmp.name) / fn.FunctionName
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".js" if fn.Runtime.startswith("nodejs") else ".py"
        (folder / f"index{suffix}").write_text(fn.Code["ZipFile"])
        return str(folder)

    def _env(self, spec: Spec) -> dict:
        keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME") if k in os.environ}
        return {**keep, **self.program_env, "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region,
                "AWS_LAMBDA_FUNCTION_NAME": spec.name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "LAMBDA_TASK_ROOT": spec.task_root,
                "_HANDLER": spec.handler, "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
                "PYTHONDONTWRITEBYTECODE": "1", **spec.env}

    def invoke(self, arn: str, event: dict, timeout: float) -> Invocation:
        """Run the function for ``event``; ``timeout`` is the caller's limit (Cognito waits 5 s),
        the function's own ``Timeout`` applies too."""
        spec = self.specs[arn]
        request_id = str(uuid.uuid4())
        limit = min(float(spec.timeout), timeout)
        context = {"function_name": spec.name, "invoked_function_arn": arn, "aws_request_id": request_id,
                   "timeout_ms": int(spec.timeout * 1000), "log_stream_name": time.strftime("%Y/%m/%d/[$LATEST]")
                   + request_id.replace("-", "")}
        try:
            worker = self._take(spec)
        except OSError as exc:   # the runtime's program is missing or cannot start
            return Invocation(spec.name, request_id, error={"errorType": "Runtime.Unavailable",
                                                            "errorMessage": f"cannot start {spec.runtime}: {exc}"})
        started = time.perf_counter()
        answer = worker.call({"event": event, "context": context}, limit)
        duration = (time.perf_counter() - started) * 1000
        if answer is None:
            worker.kill()
            out = Invocation(spec.name, request_id, timed_out=True, duration_ms=duration)
            if spec.timeout < timeout:   # Lambda's own timeout ends the invocation with an error
                out.error = {"errorType": "Sandbox.Timedout",
                             "errorMessage": f"{time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime())} "
                                             f"{request_id} Task timed out after {spec.timeout:.2f} seconds"}
            return out
        self._give_back(spec, worker)
        logs = answer.pop("logs", "")
        if "result" in answer and "errorType" not in answer:
            return Invocation(spec.name, request_id, result=answer["result"], logs=logs, duration_ms=duration)
        return Invocation(spec.name, request_id, error=answer, logs=logs, duration_ms=duration)

    def _take(self, spec: Spec) -> Worker:
        with self._lock:
            idle = self._idle.setdefault(spec.arn, [])
            while idle:
                worker = idle.pop()
                if worker.alive():
                    return worker
        return Worker(spec, self._env(spec))

    def _give_back(self, spec: Spec, worker: Worker) -> None:
        if worker.alive():
            with self._lock:
                self._idle.setdefault(spec.arn, []).append(worker)

    def start(self) -> None:
        """Start one worker per function now (a cold start before the first sign-in, not during it)."""
        for spec in self.specs.values():
            try:
                self._give_back(spec, Worker(spec, self._env(spec)))
            except OSError:
                continue   # reported by the first invocation (Runtime.Unavailable)

    def close(self) -> None:
        with self._lock:
            workers = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for worker in workers:
            worker.kill()
        self._tmp.cleanup()
