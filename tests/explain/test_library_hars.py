"""Done when: for every case in the scenario library that ends in an error, a HAR of that run
explained against the same world gives the same error text and names the same setting."""
from __future__ import annotations

import json

import pytest

from harness.explain import captures, exit_code, explain
from scenarios.world_changes import parse_path

from .library import case_world, library_error_cases, to_tracer

CASES = library_error_cases()


def _changed_paths(case) -> list[list]:
    changes = case.world_changes
    if changes is None:
        return []
    paths = list((changes.set or {}).keys()) + list(changes.remove or []) + list((changes.append or {}).keys())
    return [parse_path(p) for p in paths]


def _related(named: list, changed: list) -> bool:
    """One path is the other or lies under it (``…attribute_statements`` and
    ``…attribute_statements[0].name``)."""
    shorter = min(len(named), len(changed))
    return named[:shorter] == changed[:shorter]


def test_the_library_has_error_cases_on_every_side():
    files = {c.file.rsplit("/", 1)[-1] for c in CASES}
    assert {"10_cognito_misconfigurations.yaml", "11_okta_aws_misconfigurations.yaml",
            "12_okta_sign_in.yaml"} <= files
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_har_of_the_library_case_gives_the_scenario_error_and_setting(case, record, tmp_path):
    result, har = record(case)
    assert result["status"] == "passed", result["message"]   # the scenario itself saw its error
    explained = explain(har, case_world(case))
    verdict = explained["verdict"]
    assert exit_code(explained) == 1
    assert verdict["outcome"] == "fails"
    expected = case.expect.error
    if expected.text:
        assert verdict["error"] == expected.text
    else:
        assert expected.contains in verdict["error"]
    assert not verdict.get("live_configuration_differs"), verdict
    named = [parse_path(s["path"]) for s in verdict["settings"]]
    assert named, verdict
    assert all(s["where"] for s in verdict["settings"] if s["path"] != "aws.SAMLProviders")
    changed = _changed_paths(case)
    if changed:
        assert any(_related(n, c) for n in named for c in changed), (verdict["settings"], changed)
    _same_from_tracer_and_raw(case, har, verdict, tmp_path)


def _same_from_tracer_and_raw(case, har, verdict, tmp_path) -> None:
    """The same run as a SAML-tracer export (no response bodies: not for errors only a page
    shows) and, where one SAMLResponse decides it alone, as the raw base64 response (the XML and
    form-body forms are in test_captures): not for the RelayState rules, a second sign-in, or a
    Lambda handler's answer (taken from the capture: explain does not run Lambda code)."""
    world = case_world(case)
    if not (verdict["what"].startswith("error shown (") and verdict["shown_at"] != "callback"):
        tracer = tmp_path / "trace.json"
        tracer.write_text(json.dumps(to_tracer(har)), encoding="utf-8")
        assert explain(str(tracer), world)["verdict"]["error"] == verdict["error"]
    exchange = captures.read(har).exchanges[verdict["step"]]
    alone = (exchange.form.get("SAMLResponse") and not exchange.form.get("roleIndex") and case.sign_ins == 1
             and verdict["check"] not in ("cognito-idp-initiated", "cognito-lambda-trigger"))
    if alone:
        (tmp_path / "response.b64").write_text(exchange.form["SAMLResponse"], encoding="utf-8")
        raw = explain(str(tmp_path / "response.b64"), world, at=exchange.started)
        assert raw["verdict"]["error"] == verdict["error"], raw["verdict"]
