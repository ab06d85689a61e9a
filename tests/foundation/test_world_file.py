"""The world file: loading, validation errors with file/line/field, stable realistic ids."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from harness.world import WorldError, load, load_text


def _error(text: str) -> WorldError:
    with pytest.raises(WorldError) as info:
        load_text(textwrap.dedent(text), "bad.yaml")
    return info.value


def test_default_world_has_the_guides_names():
    world = load()
    logins = {u.login: u for u in world.okta.users}
    assert set(logins) >= {"alice@example.com", "bob@example.com", "mallory@example.com"}
    assert logins["alice@example.com"].password == "Alice-Passw0rd"
    assert set(logins["alice@example.com"].groups) == {
        "engineering", "aws#acme#admin#123456789012", "aws#acme#readonly#123456789012"}
    assert {a.label for a in world.okta.apps} >= {"Cognito SAML", "Cognito OIDC", "AWS Account Federation"}
    pool = world.user_pool("acme-users")
    assert pool.domain_url == "https://myapp.auth.us-east-1.amazoncognito.com"
    assert {p.ProviderName for p in pool.IdentityProviders} == {"Okta", "OktaOIDC"}
    assert {c.ClientName for c in pool.Clients} == {"web", "web-oidc"}
    assert {r.RoleName for r in world.aws.Roles} == {"admin", "readonly"}
    assert world.aws.SAMLProviders[0].Name == "Okta"
    # mallory is assigned to no app
    for app in world.okta.apps:
        assert "mallory@example.com" not in app.users


def test_references_keep_one_file_consistent():
    world = load()
    pool = world.user_pool("acme-users")
    saml_app = world.okta_app("Cognito SAML")
    assert saml_app.saml.audience == f"urn:amazon:cognito:sp:{pool.Id}"
    assert saml_app.saml.sso_url == "https://myapp.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
    okta_idp = next(p for p in pool.IdentityProviders if p.ProviderName == "Okta")
    assert okta_idp.ProviderDetails["MetadataURL"] == saml_app.metadata_url
    assert world.client("acme-users", "web").ClientId in saml_app.saml.default_relay_state
    assert "<md:EntityDescriptor" in world.aws.SAMLProviders[0].SAMLMetadataDocument


def test_ids_are_shaped_like_the_real_ones():
    world = load()
    pool = world.user_pool("acme-users")
    assert re.fullmatch(r"us-east-1_[0-9A-Za-z]{9}", pool.Id)
    for client in pool.Clients:
        assert re.fullmatch(r"[0-9a-z]{26}", client.ClientId)
    app = world.okta_app("Cognito SAML")
    assert re.fullmatch(r"0oa[0-9A-Za-z]{17}", app.id)
    assert re.fullmatch(r"http://www\.okta\.com/exk[0-9A-Za-z]{17}", app.entity_id)
    assert app.sso_url == f"https://dev-123456.okta.com/app/{app.name}/{app.exk}/sso/saml"
    assert app.metadata_url == f"https://dev-123456.okta.com/app/{app.exk}/sso/saml/metadata"
    assert re.fullmatch(r"https://dev-123456\.okta\.com/home/dev-123456_cognitosaml_1/0oa\w{17}/aln\w{17}",
                        app.embed_link)
    assert world.okta_app("AWS Account Federation").embed_link.endswith("/272")
    for user in world.okta.users:
        assert re.fullmatch(r"00u[0-9A-Za-z]{17}", user.id)


def test_same_file_same_ids(tmp_path):
    from harness.world import DEFAULT_WORLD

    copy = tmp_path / "copy.yaml"
    copy.write_text(DEFAULT_WORLD.read_text())
    a, b = load(), load(copy)
    assert a.user_pool("acme-users").Id == b.user_pool("acme-users").Id
    assert a.client("acme-users", "web").ClientSecret == b.client("acme-users", "web").ClientSecret
    assert a.okta_app("Cognito SAML").exk == b.okta_app("Cognito SAML").exk
    assert a.aws.SAMLProviders[0].SAMLMetadataDocument == b.aws.SAMLProviders[0].SAMLMetadataDocument


def test_bad_yaml_names_file_and_line():
    err = _error("""\
        okta:
          users: [
        """)
    assert err.file == "bad.yaml" and err.line == 3
    assert "not valid YAML" in str(err)


def test_unknown_field_suggests_the_right_one():
    err = _error("""\
        okta:
          users:
            - login: x@example.com
              pasword: secret
        """)
    assert (err.line, err.field) == (4, "okta.users[0].pasword")
    assert "did you mean 'password'" in str(err)


def test_wrong_type_is_named():
    err = _error("""\
        aws:
          Roles:
            - RoleName: r
              MaxSessionDuration: an hour
              AssumeRolePolicyDocument: {}
        """)
    assert (err.line, err.field) == (4, "aws.Roles[0].MaxSessionDuration")
    assert "expected an integer" in str(err)


def test_dangling_reference_is_named():
    err = _error("""\
        okta:
          apps:
            - label: A
              sign_on_mode: SAML_2_0
              saml:
                audience: ${user_pool:no-such-pool.sp_entity_id}
        """)
    assert (err.line, err.field) == (6, "okta.apps[0].saml.audience")
    assert "user_pool 'no-such-pool'" in str(err)


def test_unknown_group_and_missing_field_are_all_reported():
    err = _error("""\
        okta:
          users:
            - login: x@example.com
              groups: [nope]
            - password: p
        """)
    text = str(err)
    assert "bad.yaml:4: okta.users[0].groups[0]: user 'x@example.com' is in group 'nope'" in text or \
        "needs the field 'login'" in text
    assert "okta.users[1].login" in text


def test_client_enabling_an_undefined_idp_is_rejected():
    err = _error("""\
        aws:
          UserPools:
            - PoolName: p
              Clients:
                - ClientName: c
                  SupportedIdentityProviders: [Okta]
        """)
    assert err.field == "aws.UserPools[0].Clients[0].SupportedIdentityProviders[0]"
    assert err.line == 6


@pytest.mark.parametrize("content, fragment", [
    ("okta:\n  users: [\n", "bad.yaml:3: not valid YAML"),
    ("okta:\n  users:\n    - login: a@b.c\n      pasword: x\n", "bad.yaml:4: okta.users[0].pasword: unknown field"),
    ("okta:\n  apps:\n    - label: A\n      sign_on_mode: SAML_2_0\n      saml: {audience: '${role:nope.arn}'}\n",
     "bad.yaml:5: okta.apps[0].saml.audience"),
])
def test_cli_exits_2_without_traceback(tmp_path, content, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = subprocess.run([sys.executable, "-m", "harness_cli", "validate", "--world", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert fragment.replace("bad.yaml", str(path)) in result.stderr


def test_missing_world_file_exits_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "harness_cli", "validate", "--world", str(tmp_path / "nope.yaml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no such world file" in result.stderr and "Traceback" not in result.stderr
