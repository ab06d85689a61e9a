"""The scenario library's cases and their worlds, for the explain tests."""
from __future__ import annotations

import datetime as _dt
import json
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




def changed_world(*sets: tuple[str, object]):
    """The default world with ``world: set:`` changes, as a scenario case would write them."""
    lines = "".join(f"        {json.dumps(path)}: {json.dumps(value)}\n" for path, value in sets)
    text = ("cases:\n  - name: changed\n    flow: saml-sp-initiated\n    user: alice@example.com\n"
            f"    world:\n      set:\n{lines}")
    return case_world(spec.load_text(text, os.path.join(LIBRARY, "explain-test.yaml"))[0])


def to_tracer(har_path: str) -> dict:
    """A SAML-tracer-style export of a HAR: method, url, get/post pairs, status, Location, time
    (SAML-tracer keeps no response bodies)."""
    with open(har_path, encoding="utf-8") as fh:
        entries = json.load(fh)["log"]["entries"]
    requests = []
    for entry in entries:
        request, response = entry["request"], entry["response"]
        post = request.get("postData") or {}
        stamp = _dt.datetime.fromisoformat(entry["startedDateTime"].replace("Z", "+00:00")).timestamp()
        requests.append({
            "method": request["method"], "url": request["url"],
            "get": [[q["name"], q["value"]] for q in request.get("queryString") or []],
            "post": [[p["name"], p["value"]] for p in post.get("params") or []],
            "responseStatus": response["status"], "timeStamp": int(stamp * 1000),
            "responseHeaders": [h for h in response.get("headers") or [] if h["name"].lower() == "location"],
            "protocol": "saml2"})
    return {"requests": requests}
