"""A Lambda trigger's Invoke call in the scenario report: the event, what the handler printed, and
the token claims it set in the attribute-mapping table (docs/fidelity/cognito-triggers.md#cognito-triggers-trace)."""
from __future__ import annotations

import base64
import json

from harness import report
from harness.trace import Trace
from scenarios import hops, mapping


def _invocation(trace: Trace, source: str, response: dict, printed: str) -> None:
    event = {"version": "1", "triggerSource": source, "userName": "Okta_alice@example.com", "request": {},
             "response": {}}
    trace.record(started=0.0, method="POST", host="lambda.us-east-1.amazonaws.com",
                 url="https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/okta-groups/invocations",
                 request_headers={}, request_body=json.dumps(event).encode(), status=200,
                 response_headers=[("Content-Type", "application/json"),
                                   ("X-Amz-Log-Result", base64.b64encode(printed.encode()).decode())],
                 response_body=json.dumps({**event, "response": response}).encode(), via="lambda")


def test_trigger_event_output_and_claims_reach_the_report():
    trace = Trace()
    _invocation(trace, "TokenGeneration_HostedAuth",
                {"claimsOverrideDetails": {"claimsToAddOrOverride": {"tier": "gold"}, "claimsToSuppress": ["nickname"],
                                           "groupOverrideDetails": {"groupsToOverride": ["engineering"]}}},
                "Okta groups ['engineering']\n")
    hop_list = hops.build_hops(trace.events())
    call = hop_list[0]["lambda"]
    assert (call["function"], call["trigger_source"]) == ("okta-groups", "TokenGeneration_HostedAuth")
    assert call["printed"] == "Okta groups ['engineering']\n" and call["event"]["userName"] == "Okta_alice@example.com"
    rows = mapping.trigger_claims(hop_list)
    assert {(r["claim"], str(r["value"]), r["token"]) for r in rows} == {
        ("tier", "gold", "ID token"), ("nickname", "(suppressed)", "ID token"),
        ("cognito:groups", "['engineering']", "ID and access tokens")}
    html = report.render([{"name": "case", "passed": True, "hops": hop_list,
                           "mapping": {"rows": [{"source": "email"}], "flow": "saml-sp-initiated",
                                       "provider": "Okta", "trigger_claims": rows}}])
    assert "Printed by the handler" in html and "Okta groups [&#x27;engineering&#x27;]" in html
    assert "pre token generation trigger <code>okta-groups</code>" in html
