"""A successful sign-in recorded once from the world (Playwright HAR), explained as HAR, as a
SAML-tracer export and as raw SAMLResponses; the same capture against a world with one mapping
changed; hand-made captures (tampered signature, stale time, another pool's audience, an IdP's
ID token, a redirect URL, a CLI's STS call); --redact and the HTML report."""
from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.parse

import pytest
from lxml import etree

from harness.explain import captures, exit_code, explain
from harness.world import DEFAULT_WORLD, load
from harness_cli import main as cli
from mock_cognito import errors
from mock_cognito.aws_signin import errors as sts_errors
from mock_okta.org import Org
from mock_okta.saml import response as okta_response
from mock_okta.saml.metadata import metadata_for_world_app
from world_common.clock import Clock
from world_common.services import Services

from .library import case_world, changed_world, library_case, to_tracer

EMAIL_URI = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
MAPPING = "aws.UserPools[PoolName=acme-users].IdentityProviders[ProviderName=Okta].AttributeMapping"


@pytest.fixture(scope="module")
def signed_in(record):
    """A HAR of the library's SP-initiated SAML sign-in, and its SAMLResponse POST."""
    result, har = record(library_case("01_saml_cognito.yaml", "SP-initiated sign-in through the managed login"))
    assert result["status"] == "passed", result["message"]
    acs = next(e for e in captures.read(har).exchanges if e.path == "/saml2/idpresponse")
    return har, acs


def _raw(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_successful_sign_in_succeeds_with_every_check_shown(signed_in):
    har, _acs = signed_in
    result = explain(har, load(None))
    assert result["verdict"]["outcome"] == "succeeds" and exit_code(result) == 0
    step = next(s for s in result["steps"] if s["what"].startswith("SAML Response to Cognito"))
    assert step["outcome"] == "ok" and step["facts"]["username"] == "Okta_alice@example.com"
    assert {s["element"]: s["status"] for s in step["signatures"]} == {"Response": "valid", "Assertion": "valid"}
    rows = {r["mapping"]: r for r in step["mapping"]["rows"]}
    assert rows[f"email ← {EMAIL_URI}"]["sent"] == "alice@example.com"
    assert not any(r.get("broken") for r in rows.values())


def test_one_mapping_changed_gives_cognitos_error_for_that_mapping(signed_in):
    har, _acs = signed_in
    world = changed_world((f"{MAPPING}.email", "mail"))
    result = explain(har, world)
    verdict = result["verdict"]
    assert exit_code(result) == 1
    assert verdict["error"] == errors.SAML_PREFIX + errors.attribute_required("email")
    assert verdict["code"] == "server_error" and verdict["shown_at"] == "callback"
    assert verdict["settings"][0]["path"] == f'{MAPPING}["email"]' and verdict["settings"][0]["value"] == "mail"
    assert "explain-test.yaml" in verdict["settings"][0]["where"]   # where the change was written
    # the capture itself went on with a code: the configuration given was not the live one
    assert verdict["live_configuration_differs"]
    step = next(s for s in result["steps"] if s["index"] == verdict["step"])
    broken = [r for r in step["mapping"]["rows"] if r.get("broken")]
    assert [r["mapping"] for r in broken] == ["email ← mail"]


def test_a_tracer_export_and_raw_responses_give_the_same_verdict(signed_in, tmp_path):
    har, acs = signed_in
    world = changed_world((f"{MAPPING}.email", "mail"))
    expected = errors.SAML_PREFIX + errors.attribute_required("email")
    tracer = _raw(tmp_path, "trace.json", json.dumps(to_tracer(har)))
    assert explain(tracer, world)["verdict"]["error"] == expected
    xml = base64.b64decode(acs.form["SAMLResponse"]).decode()
    for name, text in (("b64.txt", acs.form["SAMLResponse"]), ("response.xml", xml),
                       ("form.txt", "SAMLResponse=" + urllib.parse.quote_plus(acs.form["SAMLResponse"]))):
        result = explain(_raw(tmp_path, name, text), world, at=acs.started)
        assert result["capture"]["kind"] == "saml"
        assert result["verdict"]["error"] == expected, name


def test_a_tampered_assertion_fails_the_digest_check(signed_in, tmp_path):
    _har, acs = signed_in
    xml = base64.b64decode(acs.form["SAMLResponse"]).replace(b">Alice<", b">Mallory<")
    result = explain(_raw(tmp_path, "tampered.xml", xml.decode()), load(None), at=acs.started)
    assert result["verdict"]["error"] == errors.RESPONSE_SIGNATURE_INVALID
    step = result["steps"][0]
    assert [s["status"] for s in step["signatures"]] == ["invalid", "invalid"]
    assert "does NOT match DigestValue" in " ".join(step["signatures"][0]["steps"])
    assert result["verdict"]["settings"][0]["path"].endswith("ProviderDetails.MetadataURL")


def test_a_stale_response_fails_at_the_time_given(signed_in, tmp_path):
    _har, acs = signed_in
    path = _raw(tmp_path, "b64.txt", acs.form["SAMLResponse"])
    assert explain(path, load(None), at=acs.started)["verdict"]["outcome"] == "succeeds"
    later = explain(path, load(None), at=acs.started + dt.timedelta(hours=1))
    assert later["verdict"]["error"] == errors.EXPIRED


def test_another_pools_audience_signed_by_okta(tmp_path):
    """Okta (mock_okta's own response builder, no browser) sends another pool's audience."""
    case = library_case("10_cognito_misconfigurations.yaml", "Okta sends another pool's audience URN")
    world = case_world(case)
    org = Org(world.okta)
    app = next(a for a in world.okta.apps if a.label == "Cognito SAML")
    built = okta_response.build(org, app, org.user_by_login("alice@example.com"),
                                Services(clock=Clock(), http=None, aws_endpoint_url=""))
    result = explain(_raw(tmp_path, "b64.txt", built.b64), world)
    assert result["verdict"]["error"] == errors.AUDIENCE_RESTRICTION
    assert result["verdict"]["settings"][0]["path"] == "okta.apps[label=Cognito SAML].saml.audience"
    assert any("the capture has no time" in n for n in result["steps"][0]["notes"])


def _unsigned_jwt(claims: dict) -> str:
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'RS256', 'kid': 'k'})}.{part(claims)}.sig"


def test_an_okta_id_token_against_an_oidc_issuer_with_a_trailing_slash(tmp_path):
    case = library_case("10_cognito_misconfigurations.yaml", "oidc_issuer with a trailing slash")
    world = case_world(case)
    client_id = next(a for a in world.okta.apps if a.label == "Cognito OIDC").oidc.client_id
    token = _unsigned_jwt({"iss": "https://dev-123456.okta.com", "aud": client_id,
                           "exp": int(dt.datetime.now(dt.timezone.utc).timestamp()) + 300})
    path = _raw(tmp_path, "id_token.txt", token)
    result = explain(path, world)
    assert result["verdict"]["error"] == errors.bad_id_token_issuer("https://dev-123456.okta.com")
    assert result["verdict"]["settings"][0]["path"].endswith("[ProviderName=OktaOIDC].ProviderDetails.oidc_issuer")
    assert explain(path, load(None))["verdict"]["outcome"] == "succeeds"


def test_cognitos_redirect_url_alone(tmp_path):
    url = ("https://app.example.com/callback?error_description=" + urllib.parse.quote_plus(errors.AUDIENCE_RESTRICTION)
           + "&error=server_error")
    result = explain(_raw(tmp_path, "url.txt", url), load(None))
    assert exit_code(result) == 1 and result["verdict"]["error"] == errors.AUDIENCE_RESTRICTION
    assert result["verdict"]["code"] == "server_error"


def test_cli_redact_json_and_report(signed_in, tmp_path, capsys):
    har, _acs = signed_in
    report_dir = tmp_path / "report"
    assert cli.main(["explain", har, "--json", "--redact", "--report", str(report_dir)]) == 0
    out = capsys.readouterr().out
    parsed = json.loads(out)
    assert parsed["verdict"]["outcome"] == "succeeds"
    for secret in ("alice@example.com", "eyJ", "PD94bWwg", "Liddell"):
        assert secret not in out
    page = (report_dir / "explain.html").read_text(encoding="utf-8")
    assert "alice@example.com" not in page and "Attribute mapping" in page


def test_cli_report_marks_the_broken_link(signed_in, tmp_path, capsys):
    har, _acs = signed_in
    world_file = tmp_path / "world.yaml"
    with open(DEFAULT_WORLD, encoding="utf-8") as fh:
        world_file.write_text(fh.read().replace(f"email: {EMAIL_URI}", "email: mail"), encoding="utf-8")
    assert cli.main(["explain", har, "--world", str(world_file), "--report", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "verdict: the sign-in fails" in out and f"{MAPPING}[\"email\"] = 'mail'" in out
    page = etree.HTML((tmp_path / "explain.html").read_text(encoding="utf-8"))
    broken = page.xpath("//table[@class='mapping']//td[@class='broken']")
    assert broken and "email" in "".join(broken[0].itertext())


@pytest.mark.parametrize("content, problem", [
    (None, "cannot read the capture"),
    ("", "the capture is empty"),
    ("{not json", "not valid JSON"),
    ('{"log": {"version": "1.2"}}', "a HAR without log.entries"),
    ('{"log": {"entries": [{"request": {"method": "GET"}}]}}', "log.entries[0].request has no url"),
    ('{"log": {"entries": [{"startedDateTime": "yesterday", "request": {"url": "https://x/"}}]}}',
     "'yesterday' is not an ISO 8601 time"),
    ('{"requests": [{"url": "https://x/", "post": "SAMLResponse"}]}', "requests[0].post is not a list"),
    ("this is not a capture", "not a HAR, a SAML-tracer export"),
    ("SAMLResponse=%%%notbase64", "neither base64 XML nor DEFLATE-encoded"),
])
def test_malformed_captures_are_bad_input(content, problem, tmp_path, capsys):
    path = tmp_path / "capture.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert cli.main(["explain", str(path)]) == 2
    err = capsys.readouterr().err
    assert problem in err and "Traceback" not in err


def test_bad_options_are_bad_input(signed_in, tmp_path, capsys):
    har, _acs = signed_in
    assert cli.main(["explain", har, "--at", "noon"]) == 2
    assert "--at 'noon': not an ISO 8601 time" in capsys.readouterr().err
    assert cli.main(["explain", har, "--idp-metadata", str(tmp_path / "missing.xml")]) == 2
    assert "--idp-metadata" in capsys.readouterr().err
    (tmp_path / "bad.xml").write_text("<nope/>", encoding="utf-8")
    assert cli.main(["explain", har, "--idp-metadata", str(tmp_path / "bad.xml")]) == 2
    assert "metadata has no IDPSSODescriptor" in capsys.readouterr().err
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00garbage")
    assert cli.main(["explain", str(tmp_path / "binary")]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_a_cli_tools_sts_call_asking_for_more_than_the_roles_maximum(tmp_path):
    """docs/fidelity/errors.md#errors-cli-session-longer-than-the-role, the other half: the console works, a CLI asking STS for the app's Session
    Duration (43200) fails on the role's MaxSessionDuration; the Okta response is built by
    mock_okta without a browser."""
    case = library_case("11_okta_aws_misconfigurations.yaml",
                        "SessionDuration 43200 above MaxSessionDuration: the console still works")
    world = case_world(case)
    org = Org(world.okta)
    app = next(a for a in world.okta.apps if a.label == "AWS Account Federation")
    services = Services(clock=Clock(), http=None, aws_endpoint_url="")
    built = okta_response.build(org, app, org.user_by_login("alice@example.com"), services)
    role = next(r for r in world.aws.Roles if r.RoleName == "admin")
    body = urllib.parse.urlencode({"Action": "AssumeRoleWithSAML", "Version": "2011-06-15", "RoleArn": role.Arn,
                                   "PrincipalArn": world.aws.SAMLProviders[0].Arn, "SAMLAssertion": built.b64,
                                   "DurationSeconds": "43200"})
    result = explain(_raw(tmp_path, "sts.txt", body), world)
    verdict = result["verdict"]
    assert verdict["error"] == sts_errors.DURATION_EXCEEDS_MAX and verdict["code"] == "ValidationError"
    assert {s["path"] for s in verdict["settings"]} == {
        "okta.apps[label=AWS Account Federation].aws.sessionDuration", "aws.Roles[RoleName=admin].MaxSessionDuration"}
    shorter = body.replace("DurationSeconds=43200", "DurationSeconds=3600")
    assert explain(_raw(tmp_path, "sts-1h.txt", shorter), world)["verdict"]["outcome"] == "succeeds"


def test_a_chrome_style_har_with_encoded_params_and_base64_bodies(signed_in, tmp_path):
    """Chrome writes form params URL-encoded (and may leave out postData.text) and binary-safe
    bodies as base64: read the same."""
    har, _acs = signed_in
    with open(har, encoding="utf-8") as fh:
        document = json.load(fh)
    for entry in document["log"]["entries"]:
        post = entry["request"].get("postData")
        if post and post.get("params"):
            post.pop("text", None)
            for param in post["params"]:
                param["value"] = urllib.parse.quote_plus(param["value"])
        content = entry["response"].get("content") or {}
        if content.get("text"):
            content["text"] = base64.b64encode(content["text"].encode()).decode()
            content["encoding"] = "base64"
    chrome = _raw(tmp_path, "chrome.har", json.dumps(document))
    world = changed_world((f"{MAPPING}.email", "mail"))
    assert explain(chrome, world)["verdict"]["error"] == explain(har, world)["verdict"]["error"]
    assert explain(chrome, load(None))["verdict"]["outcome"] == "succeeds"


def test_the_certificate_trusted_comes_from_idp_metadata_or_a_metadata_file(signed_in, tmp_path, capsys):
    har, _acs = signed_in
    world = load(None)
    other = next(a for a in world.okta.apps if a.label == "AWS Account Federation")
    metadata = _raw(tmp_path, "aws-app-metadata.xml", metadata_for_world_app(world, other))
    assert cli.main(["explain", har, "--idp-metadata", metadata]) == 1
    assert errors.RESPONSE_SIGNATURE_INVALID in capsys.readouterr().out
    url_world = changed_world(
        ("aws.UserPools[PoolName=acme-users].IdentityProviders[ProviderName=Okta].ProviderDetails.MetadataURL",
         f"file://{metadata}"))
    result = explain(har, url_world)
    assert result["verdict"]["error"] == errors.RESPONSE_SIGNATURE_INVALID
    step = next(s for s in result["steps"] if s["signatures"])
    assert "SignatureValue does NOT verify" in " ".join(step["signatures"][0]["steps"])


def test_an_albs_oidc_data_token(tmp_path):
    world = load(None)
    pool = world.aws.UserPools[0]
    issuer = f"https://cognito-idp.{world.aws.region}.amazonaws.com/{pool.Id}"
    header = {"alg": "ES256", "kid": "k", "signer": "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
              "loadbalancer/app/acme-alb/1234567890", "iss": issuer, "client": pool.Clients[0].ClientId}
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    token = f"{part(header)}.{part({'sub': 'x', 'email': 'alice@example.com', 'iss': issuer})}.sig"
    result = explain(_raw(tmp_path, "oidc-data.txt", token), world)
    assert result["verdict"]["outcome"] == "succeeds"
    assert result["steps"][0]["what"].startswith("an ALB's x-amzn-oidc-data")
    foreign = token.replace(part({'sub': 'x', 'email': 'alice@example.com', 'iss': issuer}),
                            part({"sub": "x", "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"}))
    assert exit_code(explain(_raw(tmp_path, "foreign.txt", foreign), world)) == 2


def test_a_totp_answer_is_checked_at_the_captures_time(record):
    case = library_case("12_okta_sign_in.yaml", "carol answers her TOTP factor in the browser")
    result, har = record(case)
    assert result["status"] == "passed", result["message"]
    explained = explain(har, case_world(case))
    assert explained["verdict"]["outcome"] == "succeeds"
    (mfa,) = [s for s in explained["steps"] if s["what"] == "MFA answer at Okta"]
    assert mfa["outcome"] == "ok"
    # the same code an hour later is no longer the factor's
    later = explain(har, case_world(case), at=dt.datetime.fromisoformat(mfa["at"]) + dt.timedelta(hours=1))
    assert later["verdict"]["error"] == "Invalid Passcode/Answer"
    assert later["verdict"]["settings"][0]["path"] == "okta.users[login=carol@example.com].factors"
