"""User-pool Lambda triggers: the pool's ``LambdaConfig`` (read from moto at request time) names
functions of the world's ``aws.Functions``; :mod:`.runner` runs the user's own handler.

Seam for the sign-in code::

    call(pool, "PreSignUp", event, functions, services) -> dict | None   # the handler's event back
    TriggerFailed.description                                          # the text users see

``None`` means the pool has no such trigger. Each invocation goes into the world's trace as the
Lambda ``Invoke`` call it stands for (``via="lambda"``; the event is the request body, the result
the response body, the printed output in ``X-Amz-Log-Result`` as ``LogType=Tail`` gives it).
Texts: docs/fidelity/cognito-triggers.md#cognito-triggers-failure-texts.
"""
from __future__ import annotations

import base64
import json
import time

from world_common.world_model import AwsAccount

from .runner import Functions, Invocation

# Cognito waits 5 seconds for a trigger (docs/fidelity/cognito-triggers.md#cognito-triggers-timeout).
COGNITO_TIMEOUT = 5.0

__all__ = ["Functions", "TriggerFailed", "call", "base_event", "trigger_arn", "world_functions"]


class TriggerFailed(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


_current: list[Functions] = []


def world_functions(aws: AwsAccount, services) -> Functions:
    """The functions of the world starting now, warm; the previous world's workers end (one world
    per process, as moto's state is per process)."""
    while _current:
        _current.pop().close()
    program_env = getattr(services, "program_env", None)
    functions = Functions(aws, program_env() if callable(program_env) else None)
    functions.start()
    _current.append(functions)
    return functions


def trigger_arn(pool, trigger: str) -> str | None:
    config = pool.lambda_config or {}
    if trigger == "PreTokenGeneration":
        nested = config.get("PreTokenGenerationConfig") or {}
        return nested.get("LambdaArn") or config.get("PreTokenGeneration")
    return config.get(trigger)


def pre_token_version(pool) -> str:
    nested = (pool.lambda_config or {}).get("PreTokenGenerationConfig") or {}
    return nested.get("LambdaVersion") or "V1_0"


def base_event(pool, source: str, username: str, client_id: str | None, version: str = "1") -> dict:
    """The fields every user-pool trigger event has (Lambda trigger common parameters)."""
    return {"version": version, "triggerSource": source, "region": pool.region, "userPoolId": pool.id,
            "userName": username,
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id},
            "request": {}, "response": {}}


def call(pool, trigger: str, event: dict, functions: Functions | None, services) -> dict | None:
    """Invoke the pool's ``trigger`` with ``event``; the returned event, or None when the pool has
    no such trigger. Raises :class:`TriggerFailed` with Cognito's text when the handler fails."""
    arn = trigger_arn(pool, trigger)
    if not arn:
        return None
    if functions is None or arn not in functions.specs:
        # Lambda's answer for a function that does not exist (ResourceNotFoundException).
        raise TriggerFailed(f"{trigger} failed with error Function not found: {arn}.")
    started = time.time()
    invocation = functions.invoke(arn, event, COGNITO_TIMEOUT)
    _record(services, functions, arn, event, invocation, started)
    if invocation.timed_out and invocation.error is None:
        raise TriggerFailed(f"{trigger} invocation failed due to error Socket timeout while invoking Lambda function.")
    if invocation.error is not None:
        raise TriggerFailed(f"{trigger} failed with error {invocation.error.get('errorMessage', '')}.")
    result = invocation.result
    if not isinstance(result, dict) or not isinstance(result.get("response", {}), dict):
        raise TriggerFailed(INVALID_JSON)
    return result


# The API's texts for a handler result Cognito cannot read (InvalidLambdaResponseException).
INVALID_JSON = "Invalid lambda function output : Invalid JSON"
UNRECOGNIZABLE = "Unrecognizable lambda output"


def _record(services, functions: Functions, arn: str, event: dict, invocation: Invocation, started: float) -> None:
    trace = getattr(services, "trace", None)
    if trace is None:
        return
    name = functions.specs[arn].name
    region = arn.split(":")[3]
    host = f"lambda.{region}.amazonaws.com"
    headers = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", "$LATEST"),
               ("X-Amz-Request-Id", invocation.request_id),
               ("X-Amz-Log-Result", base64.b64encode(invocation.logs[-4096:].encode()).decode())]
    if invocation.error is not None or invocation.timed_out:
        headers.append(("X-Amz-Function-Error", "Unhandled"))
    body = invocation.error if invocation.error is not None else (
        {"timedOut": True} if invocation.timed_out else invocation.result)
    trace.record(started=started, method="POST", host=host,
                 url=f"https://{host}/2015-03-31/functions/{name}/invocations",
                 request_headers={"X-Amz-Invocation-Type": "RequestResponse", "X-Amz-Log-Type": "Tail"},
                 request_body=json.dumps(event).encode(), status=200, response_headers=headers,
                 response_body=json.dumps(body).encode(), duration_ms=invocation.duration_ms, via="lambda")
