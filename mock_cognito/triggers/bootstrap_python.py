"""A Lambda-like Python runtime for one function: runs in its own process, reads one JSON request
per line on stdin ({"event", "context"}), answers one JSON line on stdout ({"result"} or Lambda's
error object {"errorType", "errorMessage", "stackTrace"}, plus "logs": what the handler printed).

Started by mock_cognito.triggers.runner as ``python bootstrap_python.py <task root> <handler>``.
The error types are Lambda's own (Runtime.ImportModuleError, Runtime.HandlerNotFound,
Runtime.MarshalError: docs/fidelity/cognito-triggers.md#cognito-triggers-handler-errors).
"""
import contextlib
import importlib
import io
import json
import sys
import time
import traceback


class Context:
    """The handler's context object (the attributes of Lambda's Python runtime)."""

    def __init__(self, data: dict) -> None:
        self.function_name = data["function_name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = data["invoked_function_arn"]
        self.memory_limit_in_mb = data.get("memory_limit_in_mb", "128")
        self.aws_request_id = data["aws_request_id"]
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = data.get("log_stream_name", "")
        self.identity = None
        self.client_context = None
        self._deadline = time.time() + data["timeout_ms"] / 1000.0

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _error(kind: str, message: str, trace=None) -> dict:
    return {"errorType": kind, "errorMessage": message, "stackTrace": trace or []}


def load(task_root: str, handler: str):
    """(function, None) or (None, Lambda's init error)."""
    sys.path.insert(0, task_root)
    module_name, _, function_name = handler.rpartition(".")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as exc:   # Lambda reports any import failure the same way
        return None, _error("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}")
    function = getattr(module, function_name, None)
    if not callable(function):
        return None, _error("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return function, None


def run(function, request: dict) -> dict:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        try:
            result = function(request["event"], Context(request["context"]))
        except Exception as exc:
            out = _error(type(exc).__name__, str(exc), traceback.format_tb(exc.__traceback__))
            traceback.print_exc()
        else:
            try:
                json.dumps(result)
                out = {"result": result}
            except (TypeError, ValueError) as exc:
                out = _error("Runtime.MarshalError", f"Unable to marshal response: {exc}")
    out["logs"] = printed.getvalue()
    return out


def main() -> None:
    task_root, handler = sys.argv[1], sys.argv[2]
    protocol = sys.stdout
    sys.stdout = sys.stderr   # import-time prints do not break the protocol
    function, init_error = load(task_root, handler)
    protocol.write('{"ready": true}\n')   # the init phase is over (it does not count against Timeout)
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        out = dict(init_error, logs="") if init_error else run(function, request)
        protocol.write(json.dumps(out) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
