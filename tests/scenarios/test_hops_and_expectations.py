"""What a run records and how a failing expectation reads: the decoded AuthnRequest and
SAMLResponse with signature status (checked by signxml against Okta's published certificate),
Cognito's tokens decoded, and the Audience element printed beside a failed audience check."""
from __future__ import annotations

import base64
import datetime as dt

from scenarios import hops
from world_common.keys import name, pem_cert, rsa_key, self_signed

CASES = """
cases:
  - name: SP-initiated sign-in
    flow: saml-sp-initiated
    user: alice@example.com
    expect:
      audience: ${user_pool:acme-users.sp_entity_id}
      id_token: {email: alice@example.com}
  - name: audience points at another pool
    flow: saml-sp-initiated
    user: alice@example.com
    world:
      set:
        "okta.apps[label=Cognito SAML].saml.audience": urn:amazon:cognito:sp:us-east-1_AnotherPool
    expect:
      audience: ${user_pool:acme-users.sp_entity_id}
"""


def test_hops_decode_the_saml_exchange_and_the_tokens(run_cases):
    good, wrong = run_cases(CASES)
    assert good["status"] == "passed", good["message"]
    kinds = [m["kind"] for h in good["hops"] for m in h["saml"]]
    assert "AuthnRequest" in kinds and kinds[-1] == "Response"
    request = next(m for h in good["hops"] for m in h["saml"] if m["kind"] == "AuthnRequest")
    assert request["issuer"].startswith("urn:amazon:cognito:sp:")       # docs/fidelity/cognito-federation.md#cognito-federation-saml AuthnRequest Issuer
    response_hop, response = hops.last_saml_response(good["hops"])
    assert response_hop["method"] == "POST" and response_hop["path"] == "/saml2/idpresponse"
    assert [(s["element"], s["status"]) for s in response["signatures"]] == [("Response", "valid"),
                                                                               ("Assertion", "valid")]
    token_hop = hops.token_response(good["hops"], host=response_hop["host"])
    names = {j["name"]: j for j in token_hop["jwts"]}
    assert names["id_token"]["claims"]["email"] == "alice@example.com"
    assert names["id_token"]["header"]["alg"] == "RS256"
    # the wrong audience: the failure names the hop and prints the Audience element
    assert wrong["status"] == "failed"
    assert "expectation 'audience' failed at hop" in wrong["message"]
    assert "POST https://myapp.auth.us-east-1.amazoncognito.com/saml2/idpresponse" in wrong["message"]
    assert "the assertion says 'urn:amazon:cognito:sp:us-east-1_AnotherPool'" in wrong["message"]
    assert "<saml2:Audience>urn:amazon:cognito:sp:us-east-1_AnotherPool</saml2:Audience>" in wrong["message"]
    # the same message against a certificate Okta never published: the signature is flagged
    other = rsa_key("scenario-test-not-okta")
    now = dt.datetime.now(dt.timezone.utc)
    stranger = pem_cert(self_signed(other, name(CN="not-okta"), serial=7, not_before=now, days=1)).decode()
    raw = base64.b64decode(response["raw_b64"])
    checked = hops.summarize_saml(raw, [stranger])
    assert {s["status"] for s in checked["signatures"]} == {"invalid"}
    assert {s["status"] for s in hops.summarize_saml(raw, [])["signatures"]} == {"unchecked"}


def test_jwt_and_saml_decoders_reject_garbage():
    assert hops.decode_jwt("a.b.c") is None
    assert hops.decode_jwt("not-a-jwt") is None
    summary = hops.summarize_saml(b"<not-closed", [])
    assert summary["kind"] == "unparseable"
    assert hops.summarize_saml(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', [])["xml"].find("root:") == -1
