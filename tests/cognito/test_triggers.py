"""Lambda triggers running the user's own handlers (docs/fidelity/cognito-triggers.md), account
linking, and the differences issue 14 lists (each test names its row)."""
from __future__ import annotations

import base64
import json
import re

import boto3
import botocore.config
import jwt
import pytest
from cognito_helpers import Cognito, callback_params, unique
from joserfc import jwe
from joserfc.jwk import RSAKey

from mock_cognito import refresh_token

pytestmark = pytest.mark.world("worlds/triggers.yaml")
SCOPES = "openid email profile aws.cognito.signin.user.admin"
# What Cognito puts in the tokens of a federated sign-in here (docs/fidelity/cognito-tokens.md#cognito-tokens-id-token-claims,
# "Access token claims"), before any trigger.
ID_CLAIMS = {"at_hash", "sub", "cognito:groups", "email_verified", "iss", "cognito:username", "nonce", "origin_jti",
             "aud", "event_id", "token_use", "auth_time", "exp", "iat", "jti", "email", "given_name", "custom:groups",
             "identities"}
ACCESS_CLAIMS = {"sub", "cognito:groups", "iss", "client_id", "origin_jti", "event_id", "token_use", "scope",
                 "auth_time", "exp", "iat", "jti", "username", "version"}


@pytest.fixture
def pools(world):
    made = []

    def pool(name: str) -> Cognito:
        made.append(Cognito(world, name))
        return made[-1]

    yield pool
    for cognito in made:
        cognito.http.close()


@pytest.fixture
def idp_api(world):
    """boto3 as a user runs it: through the world's proxy, trusting its CA."""
    config = botocore.config.Config(proxies={"https": world.proxy.url}, retries={"max_attempts": 1})
    return boto3.client("cognito-idp", region_name="us-east-1", config=config, verify=world.ca_file,
                        aws_access_key_id="AKIAEXAMPLE000000000", aws_secret_access_key="x")


def sign_in(cognito: Cognito, name: str, **kw) -> dict:
    kw.setdefault("authorize", {"scope": SCOPES})
    response = cognito.exchange(cognito.sp_sign_in(name, **kw))
    assert response.status_code == 200, response.text
    return response.json()


def claims(cognito: Cognito, body: dict) -> tuple[dict, dict]:
    return cognito.verify(body["id_token"], "id"), cognito.verify(body["access_token"], "access")


def groups_attribute(*groups: str) -> dict:
    import saml_idp

    return {"attributes": {saml_idp.EMAIL_CLAIM: "g@example.org", "firstName": "Gina", "groups": list(groups)}}


def lambda_calls(world, function: str) -> list:
    return [e for e in world.trace.events() if e.via == "lambda" and f"/functions/{function}/" in e.url]


# ---- the listed differences ----------------------------------------------------------------------

def test_tokens_without_triggers(pools):
    cognito = pools("plain")
    id_claims, access = claims(cognito, sign_in(cognito, unique(), **groups_attribute("eng")))
    assert set(id_claims) == ID_CLAIMS and set(access) == ACCESS_CLAIMS
    assert id_claims["cognito:groups"] == access["cognito:groups"] == [f"{cognito.pool.Id}_ExtIdP"]


def test_cognito_makes_a_nonce_when_the_app_sends_none(pools):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-generated-nonce
    cognito = pools("plain")
    first, second = (cognito.verify(sign_in(cognito, unique())["id_token"], "id") for _ in range(2))
    assert len(first["nonce"]) > 100 and first["nonce"] != second["nonce"]


def test_case_insensitive_pool_lowercases_the_federated_username(pools):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-case-insensitive-username
    cognito = pools("plain")
    name = unique("Alice.Mixed")
    id_claims, access = claims(cognito, sign_in(cognito, name))
    assert id_claims["cognito:username"] == access["username"] == f"extidp_{name.lower()}"
    again, _ = claims(cognito, sign_in(cognito, name.upper()))
    assert again["sub"] == id_claims["sub"]


def test_admin_global_sign_out_revokes_refresh_and_access_tokens(pools, idp_api):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-global-sign-out
    cognito = pools("plain")
    body = sign_in(cognito, unique())
    username = cognito.verify(body["access_token"], "access")["username"]
    idp_api.admin_user_global_sign_out(UserPoolId=cognito.pool.Id, Username=username)
    refreshed = cognito.token(grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json() == {"error": "invalid_grant"}
    info = cognito.http.get(f"{cognito.base}/oauth2/userInfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]
    fresh = sign_in(cognito, username.partition("_")[2])   # a new sign-in works again
    assert cognito.token(grant_type="refresh_token", refresh_token=fresh["refresh_token"]).status_code == 200


def test_global_sign_out_with_the_users_access_token(pools, idp_api):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-global-sign-out
    cognito = pools("plain")
    body = sign_in(cognito, unique())
    idp_api.global_sign_out(AccessToken=body["access_token"])
    refreshed = cognito.token(grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.json() == {"error": "invalid_grant"}
    with pytest.raises(idp_api.exceptions.NotAuthorizedException, match="Access Token has been revoked"):
        idp_api.global_sign_out(AccessToken=body["access_token"])
    narrow = sign_in(cognito, unique(), authorize={"scope": "openid email"})
    with pytest.raises(idp_api.exceptions.NotAuthorizedException, match="does not have required scopes"):
        idp_api.global_sign_out(AccessToken=narrow["access_token"])


def test_describe_user_pool_domain_names_the_account_and_a_cloudfront_distribution(world, idp_api):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-domain-description
    described = idp_api.describe_user_pool_domain(Domain="plainauth")["DomainDescription"]
    assert described["AWSAccountId"] == world.world.aws.account_id
    assert re.fullmatch(r"d[a-z0-9]{13}\.cloudfront\.net", described["CloudFrontDistribution"])
    assert described["UserPoolId"] == world.world.user_pool("plain").Id


def test_refresh_token_is_an_encrypted_jwt(pools):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-refresh-token-shape
    cognito = pools("plain")
    token = sign_in(cognito, unique())["refresh_token"]
    parts = token.split(".")
    assert len(parts) == 5
    header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    assert header == {"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}
    with pytest.raises(jwt.PyJWTError):   # opaque to clients
        jwt.decode(token, options={"verify_signature": False})
    # A JOSE implementation we did not write opens it with the pool's key.
    key = RSAKey.import_key(refresh_token.pool_key(cognito.pool.Id))
    opened = jwe.decrypt_compact(token, key, algorithms=["RSA-OAEP", "A256GCM"])
    assert set(json.loads(opened.plaintext)) == {"jti", "origin_jti"}


# ---- pre token generation ---------------------------------------------------------------------------

@pytest.mark.parametrize("pool, function", [("v1pool", "groups-v1"), ("v1node", "groups-v1-node")],
                         ids=["python", "node"])
def test_v1_pre_token_handler(pools, world, pool, function):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-pre-token-v1
    cognito = pools(pool)
    id_claims, access = claims(cognito, sign_in(cognito, unique(), **groups_attribute("eng", "ops")))
    assert id_claims["cognito:groups"] == access["cognito:groups"] == ["eng", "ops"]
    assert id_claims["department"] == "engineering" and id_claims["level"] == "3"   # V1: strings
    assert "given_name" not in id_claims and id_claims["sub"] != "forged"           # suppressed; protected
    assert "department" not in access and access["scope"] == SCOPES                  # V1: ID token only
    # claim by claim: Cognito's ID and access claims, plus the handler's additions
    assert set(id_claims) == ID_CLAIMS - {"given_name"} | {"department", "level"}
    assert set(access) == ACCESS_CLAIMS
    call = lambda_calls(world, function)[-1]
    event = json.loads(call.request_body)
    assert event["version"] == "1" and event["triggerSource"] == "TokenGeneration_HostedAuth"
    assert event["request"]["groupConfiguration"]["groupsToOverride"] == [f"{cognito.pool.Id}_ExtIdP"]
    assert event["request"]["userAttributes"]["cognito:user_status"] == "EXTERNAL_PROVIDER"
    assert event["response"] == {"claimsOverrideDetails": None}
    printed = base64.b64decode(call.header("X-Amz-Log-Result")).decode()
    assert printed.startswith("Okta groups:") and "eng" in printed and f"function {function}" in printed


@pytest.mark.parametrize("pool, function", [("v2pool", "claims-v2"), ("v2py", "claims-v2-py")],
                         ids=["node", "python"])
def test_v2_pre_token_handler_customises_both_tokens(pools, world, pool, function):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-pre-token-v2
    cognito = pools(pool)
    body = sign_in(cognito, unique(), **groups_attribute("admins"))
    id_claims, access = claims(cognito, body)
    assert id_claims["cognito:groups"] == access["cognito:groups"] == ["admins"]
    assert id_claims["tenant"] == {"id": 7, "name": "acme"} and id_claims["level"] == 3   # V2: JSON types
    assert "given_name" not in id_claims and "tenant_id" not in id_claims
    assert access["tenant_id"] == "acme" and access["token_use"] == "access"               # protected
    assert access["scope"] == "openid email aws.cognito.signin.user.admin orders/read"
    assert set(id_claims) == ID_CLAIMS - {"given_name"} | {"tenant", "level"}
    assert set(access) == ACCESS_CLAIMS | {"tenant_id"}
    event = json.loads(lambda_calls(world, function)[-1].request_body)
    assert event["version"] == "2" and event["request"]["scopes"] == SCOPES.split()
    assert event["response"] == {"claimsAndScopeOverrideDetails": None}
    # Refreshing runs the trigger again with its own source.
    refreshed = cognito.token(grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.status_code == 200 and cognito.verify(refreshed.json()["access_token"], "access")["tenant_id"] == "acme"
    assert json.loads(lambda_calls(world, function)[-1].request_body)["triggerSource"] == "TokenGeneration_RefreshTokens"


# ---- failures: the texts users see, no user half-created ---------------------------------------------

def users_named(idp_api, pool_id: str, email: str) -> list:
    return idp_api.list_users(UserPoolId=pool_id, Filter=f'email = "{email}"')["Users"]


@pytest.mark.parametrize("who, description", [
    ("blocked", "PreSignUp failed with error Sign-ups from this IdP need an invitation."),
    ("slow", re.compile(r"PreSignUp failed with error \S+ \S+ Task timed out after 1\.00 seconds\.")),
])
def test_failing_pre_sign_up_creates_no_user(pools, idp_api, who, description):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-failure-texts, #cognito-triggers-failure-delivery
    import saml_idp

    cognito = pools("gatepool")
    email = f"{who}-{unique()}@example.org"
    params = callback_params(cognito.sp_sign_in(unique(), attributes={saml_idp.EMAIL_CLAIM: email}))
    assert params["error"] == "server_error"
    text = params["error_description"].removeprefix("Invalid SAML response received: ")
    assert text == description if isinstance(description, str) else description.fullmatch(text), text
    assert users_named(idp_api, cognito.pool.Id, email) == []


def test_pre_sign_up_auto_verifies_email_and_garbage_from_pre_token_is_refused(pools, idp_api):
    import saml_idp

    cognito = pools("gatepool")
    email = f"verified-{unique()}@example.org"
    id_claims, _ = claims(cognito, sign_in(cognito, unique(), attributes={saml_idp.EMAIL_CLAIM: email}))
    assert id_claims["email_verified"] is True
    params = callback_params(cognito.sp_sign_in(unique(), attributes={saml_idp.EMAIL_CLAIM: f"garbage-{email}"}))
    assert params["error_description"] == "Invalid SAML response received: Invalid lambda function output : Invalid JSON"


def test_socket_timeout_text_when_cognito_stops_waiting(world):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-timeout: Cognito's own 5 s limit (here
    # lowered to 0.2 s) ends a handler whose Lambda timeout is longer.
    from types import SimpleNamespace

    from mock_cognito import moto_adapter, triggers

    aws = world.world.aws
    pool = moto_adapter.pool_view(aws.account_id, aws.region, world.world.user_pool("linkpool").Id)
    functions = triggers.Functions(SimpleNamespace(region=aws.region, account_id=aws.account_id, Functions=[
        SimpleNamespace(FunctionName="sleepy", Runtime="nodejs20.x", Handler="index.handler", CodeUri=None,
                        Timeout=3, Environment=None,
                        Code={"ZipFile": "exports.handler = async (e) => { await new Promise(r => setTimeout(r, 2000)); return e; };"})]))
    pool.lambda_config = {"PreSignUp": next(iter(functions.specs))}
    try:
        triggers.COGNITO_TIMEOUT, saved = 0.2, triggers.COGNITO_TIMEOUT
        with pytest.raises(triggers.TriggerFailed) as failed:
            triggers.call(pool, "PreSignUp", triggers.base_event(pool, "PreSignUp_ExternalProvider", "x", None),
                          functions, world.services)
    finally:
        triggers.COGNITO_TIMEOUT = saved
        functions.close()
    assert failed.value.description == \
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."


# ---- account linking --------------------------------------------------------------------------------

def test_pre_sign_up_that_links_fails_first_then_signs_in_as_the_native_user(pools, idp_api, world):
    # docs/fidelity/cognito-triggers.md#cognito-triggers-link-race, #cognito-triggers-linked-sign-in
    import saml_idp

    cognito = pools("linkpool")
    email, subject = f"{unique('native')}@example.org", unique("okta")
    native = idp_api.admin_create_user(UserPoolId=cognito.pool.Id, Username=unique("native"), MessageAction="SUPPRESS",
                                       UserAttributes=[{"Name": "email", "Value": email}])["User"]["Username"]
    saml = {"attributes": {saml_idp.EMAIL_CLAIM: email}}
    first = callback_params(cognito.sp_sign_in(subject, **saml))
    assert first["error_description"] == \
        f"Invalid SAML response received: Already found an entry for username ExtIdP_{subject}"
    assert [u["Username"] for u in users_named(idp_api, cognito.pool.Id, email)] == [native]
    assert "linked ExtIdP_" in base64.b64decode(lambda_calls(world, "link-by-email")[-1].header("X-Amz-Log-Result")).decode()
    id_claims, access = claims(cognito, sign_in(cognito, subject, **saml))
    assert id_claims["cognito:username"] == access["username"] == native
    stored = {a["Name"]: a["Value"] for a in idp_api.admin_get_user(UserPoolId=cognito.pool.Id, Username=native)["UserAttributes"]}
    identity = json.loads(stored["identities"])[0]
    assert identity["providerName"] == "ExtIdP" and identity["userId"] == subject
    assert identity["primary"] is False
    # AdminDisableProviderForUser removes the link: the next sign-in is a new federated user again.
    idp_api.admin_disable_provider_for_user(UserPoolId=cognito.pool.Id, User={
        "ProviderName": "ExtIdP", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": subject})
    stored = {a["Name"]: a["Value"] for a in idp_api.admin_get_user(UserPoolId=cognito.pool.Id, Username=native)["UserAttributes"]}
    assert json.loads(stored["identities"]) == []


def test_link_errors(pools, idp_api):
    cognito = pools("plain")
    source = {"ProviderName": "ExtIdP", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "x"}
    with pytest.raises(idp_api.exceptions.UserNotFoundException):
        idp_api.admin_link_provider_for_user(UserPoolId=cognito.pool.Id, SourceUser=source, DestinationUser={
            "ProviderName": "Cognito", "ProviderAttributeValue": "nobody"})
    name = unique()
    sign_in(cognito, name)
    native = idp_api.admin_create_user(UserPoolId=cognito.pool.Id, Username=unique("n"), MessageAction="SUPPRESS")
    with pytest.raises(idp_api.exceptions.InvalidParameterException, match="Merging is not currently supported"):
        idp_api.admin_link_provider_for_user(UserPoolId=cognito.pool.Id, SourceUser={**source, "ProviderAttributeValue": name},
                                             DestinationUser={"ProviderName": "Cognito",
                                                              "ProviderAttributeValue": native["User"]["Username"]})


@pytest.mark.parametrize("operation, body", [
    ("AdminLinkProviderForUser", "[1, 2]"),
    ("AdminLinkProviderForUser", '{"UserPoolId": "us-east-1_nope", "DestinationUser": "x", "SourceUser": 3}'),
    ("AdminDisableProviderForUser", '{"UserPoolId": 5, "User": []}'),
    ("GlobalSignOut", '{"AccessToken": 12}'),
])
def test_malformed_api_calls_get_a_4xx(world, operation, body):
    response = world.http.post("https://cognito-idp.us-east-1.amazonaws.com/", data=body, timeout=10, headers={
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        "Content-Type": "application/x-amz-json-1.1"})
    assert 400 <= response.status_code < 500 and "__type" in response.json(), response.text
