"""``harness diagnose --probe``: each misconfiguration of docs/fidelity/errors.md#errors-cognito-misconfigurations and docs/fidelity/errors.md#errors-okta-aws-misconfigurations that a
sign-in can show is confirmed by a real sign-in over HTTP with the real error; a prediction the
world does not bear out is reported as not confirmed; the JSON shape and the exit codes."""
import json
import pathlib

import pytest

from harness import diagnose
from harness import diagnose_rules as texts

WORKING = pathlib.Path(__file__).resolve().parents[2] / "examples" / "world" / "federation.yaml"
ALICE_PROFILE = "profile: {firstName: Alice, lastName: Liddell, email: alice@example.com}"

# (case, [(old, new), ...] edits of the working world, the finding's check, a text the sign-in must show)
CASES = [
    ("cognito-1-audience", [("audience: ${user_pool:acme-users.sp_entity_id}", "audience: urn:amazon:cognito:sp:x")],
     "saml-audience", texts.callback_error("server_error", texts.AUDIENCE_RESTRICTION)),
    ("cognito-2-idpinit", [('IDPInit: "true"', 'IDPInit: "false"')], "idp-init", texts.IDP_INIT_OFF),
    ("cognito-3-required", [('name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"',
                             "name: email")], "mapping-claim", texts.attribute_required("email")),
    ("cognito-4-immutable", [("Required: true, Mutable: true}", "Required: true, Mutable: false}")],
     "mapping-immutable", texts.attribute_immutable("email")),
    ("cognito-5-callback", [("redirect_uri=https://app.example.com/callback&",
                             "redirect_uri=https://app.example.com/callback/&")],
     "callback-url", "/error?error=redirect_mismatch&client_id="),
    ("cognito-6-idp-case", [('default_relay_state: "identity_provider=Okta&', 'default_relay_state: "identity_provider=okta&')],
     "idp-name", texts.LOGIN_OPTION_NOT_AVAILABLE),
    ("cognito-6-idp-not-enabled", [("SupportedIdentityProviders: [Okta]", "SupportedIdentityProviders: [COGNITO]")],
     "idp-not-enabled", texts.LOGIN_OPTION_NOT_AVAILABLE),
    ("cognito-7-stale-metadata", [('ProviderDetails: {MetadataURL: "${okta_app:Cognito SAML.metadata_url}"',
                                   'ProviderDetails: {MetadataFile: "${okta_app:AWS Account Federation.metadata}"')],
     "stale-metadata", texts.RESPONSE_SIGNATURE_INVALID),
    ("cognito-8-issuer", [("oidc_issuer: ${okta:org_url}", "oidc_issuer: ${okta:org_url}/")], "oidc-issuer",
     texts.callback_error("invalid_request", texts.bad_issuer("https://dev-123456.okta.com"))),
    ("cognito-10-username", [("given_name: given_name\n", "username: given_name\n")], "mapping-username",
     texts.USERNAME_MAPPED),
    ("cognito-10-undefined", [("given_name: given_name\n", "custom:tenant: given_name\n")], "mapping-undefined",
     texts.attribute_type_unknown("custom:tenant")),
    ("oidc-client-secret", [("client_secret: ${okta_app:Cognito OIDC.client_secret}", "client_secret: stale")],
     "oidc-secret", texts.idp_error("OktaOIDC", 401, "invalid_client", texts.OKTA_CLIENT_AUTH_FAILED)),
    ("oidc-redirect-uri", [('redirect_uris: ["${user_pool:acme-users.idpresponse_url}"]',
                            "redirect_uris: [https://myapp.auth.us-east-1.amazoncognito.com/oauth2/idpresponse/]")],
     "oidc-redirect", texts.okta_bad_redirect_uri("https://dev-123456.okta.com", "")[:80]),
    ("okta-1-role-value-pattern", [("saml-provider/Okta,arn:aws:iam::${accountid}:role", "saml-provider/OKTA,"
                                    "arn:aws:iam::${accountid}:role")], "aws-role-provider", texts.PROVIDER_DOES_NOT_EXIST),
    ("okta-2-group-filter", [("aws#acme#readonly#123456789012", "AWS_acme_readonly_123456789012")] * 4,
     "aws-group-filter", texts.INVALID_SAML_RESPONSE_PAGE),
    ("okta-3-role-period", [('- {name: "aws#acme#readonly#123456789012", description: AWS read-only role}',
                             '- {name: "aws#acme#readonly#123456789012", description: AWS read-only role}\n'
                             '    - {name: "aws#acme#read.only#123456789012"}'),
                            ('groups: ["aws#acme#readonly#123456789012"]\n  apps:',
                             'groups: ["aws#acme#read.only#123456789012"]\n  apps:'),
                            ('groups: ["aws#acme#admin#123456789012", "aws#acme#readonly#123456789012"]\naws:',
                             'groups: ["aws#acme#admin#123456789012", "aws#acme#read.only#123456789012"]\naws:')],
     "aws-group-filter", texts.INVALID_SAML_RESPONSE_PAGE),
    ("okta-4-no-saml-roles", [("useGroupMapping: true", "useGroupMapping: false")], "aws-no-roles",
     texts.INVALID_SAML_RESPONSE_PAGE),
    ("okta-5-not-assigned", [('groups: ["aws#acme#admin#123456789012", "aws#acme#readonly#123456789012"]\naws:',
                              'groups: ["aws#acme#admin#123456789012"]\naws:')], "aws-not-assigned",
     texts.okta_not_assigned("AWS Account Federation")),
    ("okta-6-stale-metadata", [("SAMLMetadataDocument: ${okta_app:AWS Account Federation.metadata}",
                                "SAMLMetadataDocument: ${okta_app:Cognito SAML.metadata}")], "aws-metadata",
     texts.SIGNATURE_INVALID_STS),
    ("okta-7-trust-policy", [('{"SAML:aud": https://signin.aws.amazon.com/saml}}\n    - RoleName: readonly',
                              '{"SAML:aud": https://us-east-1.signin.aws.amazon.com/saml}}\n    - RoleName: readonly')],
     "aws-trust-policy", texts.NOT_AUTHORIZED),
    ("okta-8-session-duration", [("sessionDuration: 3600", "sessionDuration: 43200")], "aws-session-duration",
     texts.DURATION_EXCEEDS),
    ("okta-10-session-name", [("      saml:\n        sso_url: https://signin.aws.amazon.com/saml\n",
                               "      saml:\n        user_name_template: ${source.displayName}\n"
                               "        sso_url: https://signin.aws.amazon.com/saml\n"),
                              (ALICE_PROFILE, ALICE_PROFILE[:-1] + ", displayName: Alice Liddell}")],
     "aws-session-name", texts.ROLE_SESSION_NAME),
]


def world_file(tmp_path, edits) -> pathlib.Path:
    text = WORKING.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "world.yaml"
    path.write_text(text)
    return path


def probe_json(capsys, path) -> tuple[int, list]:
    capsys.readouterr()
    code = diagnose.main(["--world", str(path), "--probe", "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("case,edits,check,shown", CASES, ids=[c[0] for c in CASES])
def test_probe_confirms_the_finding_with_the_real_error(tmp_path, capsys, case, edits, check, shown):
    code, findings = probe_json(capsys, world_file(tmp_path, edits))
    matching = [f for f in findings if f["check"] == check]
    assert matching, [f["check"] for f in findings]
    probe = matching[0]["probe"]
    assert probe["result"] == "confirmed", probe
    last = probe["sign_ins"][-1]
    assert shown in last["seen"] and last["ok"] is False
    if matching[0]["severity"] == "error":
        assert code == 1


def test_immutable_attribute_needs_two_sign_ins_and_only_the_second_fails(tmp_path, capsys):
    _, findings = probe_json(capsys, world_file(tmp_path, CASES[3][1]))
    saml = next(f for f in findings if f["check"] == "mapping-immutable" and "'Okta'" in f["summary"])
    first, second = saml["probe"]["sign_ins"]
    assert first["ok"] is True and "Okta_alice@example.com" in first["seen"]
    assert second["ok"] is False and texts.attribute_immutable("email") in second["seen"]


def test_a_prediction_the_world_does_not_bear_out_is_not_confirmed(tmp_path, capsys):
    # A wrong Identity Provider ARN with group mapping on: Okta builds the Role values from the
    # Role Value Pattern, which names the right provider, so the console sign-in works.
    path = world_file(tmp_path, [("identityProviderArn: ${saml_provider:Okta.arn}",
                                  "identityProviderArn: arn:aws:iam::123456789012:saml-provider/OKTA")])
    code, findings = probe_json(capsys, path)
    finding = next(f for f in findings if f["check"] == "aws-provider-arn")
    assert finding["probe"]["result"] == "not confirmed"
    assert finding["probe"]["saw"].startswith("AWS console as arn:aws:sts::123456789012:assumed-role/")
    assert texts.PROVIDER_DOES_NOT_EXIST in finding["probe"]["expected"]
    assert code == 1   # the static error stands; the probe reports what it saw


def test_transient_name_id_format_alone_does_not_make_a_new_user_per_sign_in(tmp_path, capsys):
    # Okta sends the application username whatever the NameID format says, so both sign-ins
    # land on the same Cognito user: the warning is reported as not confirmed.
    _, findings = probe_json(capsys, world_file(tmp_path, [("subject_name_id_format: emailAddress",
                                                            "subject_name_id_format: transient")]))
    probe = next(f for f in findings if f["check"] == "nameid")["probe"]
    assert probe["result"] == "not confirmed"
    assert [s["seen"] for s in probe["sign_ins"]] == ["signed in as Cognito user Okta_alice@example.com"] * 2


def test_probe_json_shape(tmp_path, capsys):
    _, findings = probe_json(capsys, world_file(tmp_path, CASES[0][1] + CASES[19][1]))
    assert {f["check"] for f in findings} >= {"saml-audience", "aws-trust-policy", "nameid"}
    for finding in findings:
        assert set(finding) == {"check", "severity", "summary", "settings", "user_sees", "fix", "reference", "probe"}
        probe = finding["probe"]
        assert probe["result"] in ("confirmed", "not confirmed", "not probed")
        extra = {"confirmed": set(), "not confirmed": {"saw", "expected"}, "not probed": {"why"}}[probe["result"]]
        assert set(probe) == {"result", "sign_ins"} | extra
        for sign_in in probe["sign_ins"]:
            assert set(sign_in) == {"flow", "user", "ok", "seen", "url"}
    info = next(f for f in findings if f["check"] == "nameid")
    assert info["probe"] == {"result": "not probed", "sign_ins": [],
                             "why": "shows only after the user's email changes at Okta"}


def test_exit_codes_and_the_table(tmp_path, capsys):
    capsys.readouterr()
    assert diagnose.main(["--world", str(WORKING), "--probe"]) == 0
    assert "probe: not probed" in capsys.readouterr().out
    broken = world_file(tmp_path, CASES[1][1])
    assert diagnose.main(["--world", str(broken), "--probe"]) == 1
    out = capsys.readouterr().out
    assert "probe: confirmed: Okta tile of 'Cognito SAML' (IdP-initiated) as alice@example.com showed" in out
    assert "\033[" not in out   # no colours when stdout is not a terminal
    bad = tmp_path / "bad.yaml"
    bad.write_text("okta: {apps: [{label: x}]}\n")
    assert diagnose.main(["--world", str(bad), "--probe"]) == 2
    assert "sign_on_mode" in capsys.readouterr().err


def test_without_probe_findings_carry_no_probe(tmp_path, capsys):
    capsys.readouterr()
    assert diagnose.main(["--world", str(world_file(tmp_path, CASES[0][1])), "--json"]) == 1
    assert all(f["probe"] is None for f in json.loads(capsys.readouterr().out))


def test_alb_callback_with_an_upper_case_host_is_confirmed(tmp_path, capsys):
    # docs/fidelity/errors.md#errors-cognito-misconfigurations runners-up / docs/fidelity/alb.md#alb-authenticate-cognito: the ALB sends its callback in lower case.
    default = pathlib.Path(diagnose.__file__).parents[1] / "world" / "default.yaml"
    path = tmp_path / "alb.yaml"
    path.write_text(default.read_text().replace("https://acme-alb-1234567890.us-east-1.elb.amazonaws.com/oauth2/",
                                                "https://ACME-alb-1234567890.us-east-1.elb.amazonaws.com/oauth2/", 1))
    code, findings = probe_json(capsys, path)
    finding = next(f for f in findings if f["check"] == "alb-callback")
    assert finding["probe"]["result"] == "confirmed", finding["probe"]
    assert "/error?error=redirect_mismatch&client_id=" in finding["probe"]["sign_ins"][0]["seen"]
    assert texts.REQUESTED_PAGE in finding["probe"]["sign_ins"][0]["seen"] and code == 1
