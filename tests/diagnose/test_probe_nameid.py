"""``harness diagnose --probe`` on docs/fidelity/errors.md#errors-unstable-or-case-varying-nameid (email as NameID): sign in, change the case of
the email at Okta through the Users API, sign in again; confirmed when Cognito then holds two
different users ``<Provider>_<NameID>`` (docs/fidelity/cognito-federation.md#cognito-federation-nameid, docs/fidelity/cognito-tokens.md#cognito-tokens-username)."""
import json
import pathlib

import boto3

import harness
from harness import diagnose

DEFAULT = pathlib.Path(diagnose.__file__).parents[1] / "world" / "default.yaml"


def nameid_finding(findings):
    return next(f for f in findings if f["check"] == "nameid")


def probe_json(capsys, argv):
    capsys.readouterr()
    code = diagnose.main(argv + ["--probe", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_email_case_change_makes_a_second_cognito_user_on_the_default_world(capsys):
    code, findings = probe_json(capsys, ["--world", str(DEFAULT)])
    finding = nameid_finding(findings)
    assert finding["severity"] == "warning" and "docs/fidelity/errors.md#errors-unstable-or-case-varying-nameid" in finding["reference"]
    probe = finding["probe"]
    assert probe["result"] == "confirmed", probe
    first, change, second, listed = probe["sign_ins"]
    assert first["ok"] and first["seen"] == "signed in as Cognito user Okta_alice@example.com"
    assert change["ok"] and "POST /api/v1/users/00u" in change["flow"]
    assert change["seen"] == "profile now email='ALICE@EXAMPLE.COM'"
    assert second["ok"] and second["seen"] == "signed in as Cognito user Okta_ALICE@EXAMPLE.COM"
    assert listed["seen"] == "2 Okta user(s): Okta_alice@example.com, Okta_ALICE@EXAMPLE.COM"
    assert code == 0   # a warning: exit 0


def test_the_probe_leaves_the_okta_profile_as_it_was_and_cognito_holds_both_users():
    with harness.start() as running:
        findings = [f for f in diagnose.diagnose(running.world) if f.check == "nameid"]
        diagnose.confirm(findings, running)
        assert findings[0].probe["result"] == "confirmed"
        alice = running.world.okta.users[0]
        token = running.world.okta.api_tokens[0].token
        profile = running.http.get(f"{running.world.okta.org_url}/api/v1/users/{alice.id}",
                                   headers={"Authorization": f"SSWS {token}"}).json()["profile"]
        assert profile["email"] == "alice@example.com"
        # Cognito's side, read independently of the probe's own ListUsers.
        pool = running.world.user_pool("acme-users")
        idp = boto3.client("cognito-idp", endpoint_url=running.aws_endpoint_url, region_name=running.world.aws.region,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        names = {u["Username"] for u in idp.list_users(UserPoolId=pool.Id)["Users"]}
        assert {"Okta_alice@example.com", "Okta_ALICE@EXAMPLE.COM"} <= names


def test_a_name_id_that_does_not_follow_the_change_is_not_confirmed(tmp_path, capsys):
    # NameID from the first name with the emailAddress format: the finding fires (format), but
    # the login's case change does not reach the NameID, so Cognito keeps one user.
    path = tmp_path / "world.yaml"
    path.write_text(DEFAULT.read_text().replace("user_name_template: ${source.email}",
                                                "user_name_template: ${user.firstName}", 1))
    _, findings = probe_json(capsys, ["--world", str(path)])
    probe = nameid_finding(findings)["probe"]
    assert probe["result"] == "not confirmed", probe
    assert [s["seen"] for s in probe["sign_ins"][::2]] == ["signed in as Cognito user Okta_Alice"] * 2
    assert probe["sign_ins"][1]["seen"] == "profile now login='ALICE@EXAMPLE.COM'"
    assert probe["saw"] == "1 Okta user(s): Okta_Alice" and probe["expected"] == []


def test_without_an_api_token_the_email_finding_is_not_probed(tmp_path, capsys):
    text = DEFAULT.read_text()
    start = text.index("  api_tokens:")
    path = tmp_path / "world.yaml"
    path.write_text(text[:start] + text[text.index("  apps:", start):])
    _, findings = probe_json(capsys, ["--world", str(path)])
    assert nameid_finding(findings)["probe"] == {"result": "not probed", "sign_ins": [],
                                                 "why": "shows only after the user's email changes at Okta"}
