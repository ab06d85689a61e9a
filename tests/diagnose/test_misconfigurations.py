"""Each of the ten misconfigurations of docs/fidelity/errors.md#errors-cognito-misconfigurations and docs/fidelity/errors.md#errors-okta-aws-misconfigurations is caught statically,
pointing at the line of the setting that is wrong, with the reference's error text."""
import json
import pathlib

import pytest

from harness import diagnose
from harness import diagnose_rules as texts
from harness.world import load

WORKING = pathlib.Path(__file__).resolve().parents[2] / "examples" / "world" / "federation.yaml"

# (case, old text, new text, the finding's check, the text of the line it must point at, user sees)
CASES = [
    ("cognito-1-audience", "audience: ${user_pool:acme-users.sp_entity_id}",
     "audience: urn:amazon:cognito:sp:us-east-1_typo", "saml-audience", "audience: urn:amazon:cognito:sp:us-east-1_typo",
     texts.AUDIENCE_RESTRICTION),
    ("cognito-2-idpinit", 'IDPInit: "true"', 'IDPInit: "false"', "idp-init", "ProviderDetails: {MetadataURL",
     texts.IDP_INIT_OFF),
    ("cognito-3-required", 'name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"',
     "name: email", "mapping-claim", "email: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
     texts.attribute_required("email")),
    ("cognito-4-immutable", "{Name: email, AttributeDataType: String, Required: true, Mutable: true}",
     "{Name: email, AttributeDataType: String, Required: true, Mutable: false}", "mapping-immutable",
     "{Name: email, AttributeDataType: String, Required: true, Mutable: false}", texts.attribute_immutable("email")),
    ("cognito-5-callback", "redirect_uri=https://app.example.com/callback&", "redirect_uri=https://app.example.com/callback/&",
     "callback-url", "default_relay_state:", texts.REDIRECT_MISMATCH),
    ("cognito-6-idp-case", "default_relay_state: \"identity_provider=Okta&", "default_relay_state: \"identity_provider=okta&",
     "idp-name", "default_relay_state:", texts.LOGIN_OPTION_NOT_AVAILABLE),
    ("cognito-7-stale-metadata", 'ProviderDetails: {MetadataURL: "${okta_app:Cognito SAML.metadata_url}", IDPInit: "true"}',
     'ProviderDetails: {MetadataFile: "${okta_app:AWS Account Federation.metadata}", IDPInit: "true"}',
     "stale-metadata", "ProviderDetails: {MetadataFile", texts.RESPONSE_SIGNATURE_INVALID),
    ("cognito-8-issuer", "oidc_issuer: ${okta:org_url}", "oidc_issuer: ${okta:org_url}/", "oidc-issuer",
     "oidc_issuer:", texts.bad_issuer("https://dev-123456.okta.com")),
    ("cognito-9-nameid", "subject_name_id_format: emailAddress", "subject_name_id_format: transient", "nameid",
     "subject_name_id_format: transient", "a new user per sign-in"),
    ("cognito-10-username", "given_name: given_name\n", "username: given_name\n", "mapping-username",
     "username: given_name", texts.USERNAME_MAPPED),
    ("okta-1-provider-arn", "identityProviderArn: ${saml_provider:Okta.arn}",
     "identityProviderArn: arn:aws:iam::123456789012:saml-provider/OKTA", "aws-provider-arn",
     "identityProviderArn: arn:aws:iam::123456789012:saml-provider/OKTA", texts.PROVIDER_DOES_NOT_EXIST),
    ("okta-2-group-filter", "aws#acme#readonly#123456789012", "AWS_acme_readonly_123456789012", "aws-no-roles",
     'groups: ["aws#acme#admin#123456789012", "AWS_acme_readonly_123456789012"]\naws:',
     texts.INVALID_SAML_RESPONSE_PAGE),
    ("okta-3-role-period", '- {name: "aws#acme#readonly#123456789012", description: AWS read-only role}',
     '- {name: "aws#acme#readonly#123456789012", description: AWS read-only role}\n    - {name: "aws#acme#read.only#123456789012"}',
     "aws-group-filter", '- {name: "aws#acme#read.only#123456789012"}', texts.INVALID_SAML_RESPONSE_PAGE),
    ("okta-4-no-saml-roles", "useGroupMapping: true", "useGroupMapping: false", "aws-no-roles", "useGroupMapping: false",
     texts.INVALID_SAML_RESPONSE_PAGE),
    ("okta-5-not-assigned", 'groups: ["aws#acme#admin#123456789012", "aws#acme#readonly#123456789012"]\naws:',
     'groups: ["aws#acme#admin#123456789012"]\naws:', "aws-not-assigned", "- login: bob@example.com",
     texts.okta_not_assigned("AWS Account Federation")),
    ("okta-6-stale-metadata", "SAMLMetadataDocument: ${okta_app:AWS Account Federation.metadata}",
     "SAMLMetadataDocument: ${okta_app:Cognito SAML.metadata}", "aws-metadata",
     "SAMLMetadataDocument: ${okta_app:Cognito SAML.metadata}", texts.ISSUER_NOT_IN_PROVIDER),
    ("okta-7-trust-policy", 'Condition: {StringEquals: {"SAML:aud": https://signin.aws.amazon.com/saml}}\n    - RoleName: readonly',
     'Condition: {StringEquals: {"SAML:aud": https://us-east-1.signin.aws.amazon.com/saml}}\n    - RoleName: readonly',
     "aws-trust-policy", "us-east-1.signin.aws.amazon.com/saml", texts.NOT_AUTHORIZED),   # the SAML:aud line itself
    ("okta-8-session-duration", "sessionDuration: 3600", "sessionDuration: 43200", "aws-session-duration",
     "sessionDuration: 43200", texts.DURATION_EXCEEDS),
    ("okta-10-session-name", "      saml:\n        sso_url: https://signin.aws.amazon.com/saml\n",
     "      saml:\n        user_name_template: ${source.displayName}\n        sso_url: https://signin.aws.amazon.com/saml\n",
     "aws-session-name", "user_name_template: ${source.displayName}", texts.ROLE_SESSION_NAME),
]


def _findings(tmp_path, old, new, extra=""):
    text = WORKING.read_text()
    assert old in text, old
    text = text.replace(old, new, -1 if old.startswith("aws#") else 1) + extra
    if "displayName" in new:
        text = text.replace("profile: {firstName: Alice, lastName: Liddell, email: alice@example.com}",
                            "profile: {firstName: Alice, lastName: Liddell, email: alice@example.com, "
                            "displayName: Alice Liddell}")
    path = tmp_path / "world.yaml"
    path.write_text(text)
    return path, diagnose.diagnose(load(path))


def test_the_working_world_has_no_errors_and_email_name_id_is_a_warning():
    # Severity is honest (issue 13): NameID = email breaks only when an email changes.
    findings = diagnose.diagnose(load(WORKING))
    assert [f.check for f in findings if f.severity == "error"] == []
    assert [f.check for f in findings if f.severity == "warning"] == ["nameid"]


@pytest.mark.parametrize("case,old,new,check,line_text,sees", CASES, ids=[c[0] for c in CASES])
def test_misconfiguration_is_caught_where_it_was_written(tmp_path, case, old, new, check, line_text, sees):
    path, findings = _findings(tmp_path, old, new)
    matching = [f for f in findings if f.check == check]
    assert matching, [f"{f.check}: {f.summary}" for f in findings]
    finding = matching[0]
    assert sees in finding.user_sees
    lines = path.read_text().splitlines()
    if "\n" in line_text:  # a line followed by the next one
        first, second = line_text.split("\n")
        expected = next(i for i, line in enumerate(lines, 1) if first in line and second in lines[i])
    else:
        expected = next(i for i, line in enumerate(lines, 1) if line_text in line)
    assert f"{path}:{expected}" in [s.where for s in finding.settings], (finding.settings, expected)


def test_cli_exit_codes_and_json(tmp_path, capsys):
    assert diagnose.main(["--world", str(WORKING)]) == 0
    path, _ = _findings(tmp_path, "sessionDuration: 3600", "sessionDuration: 43200")
    broken, _ = _findings(tmp_path, "audience: ${user_pool:acme-users.sp_entity_id}", "audience: urn:x")
    capsys.readouterr()
    assert diagnose.main(["--world", str(broken), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert findings[0]["severity"] == "error" and findings[0]["check"] == "saml-audience"


def test_a_world_that_does_not_load_is_exit_2_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("okta: {apps: [{label: x}]}\n")
    assert diagnose.main(["--world", str(path)]) == 2
    assert "sign_on_mode" in capsys.readouterr().err
