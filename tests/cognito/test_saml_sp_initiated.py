"""SP-initiated SAML sign-in against an IdP the test plays with signxml (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/cognito-tokens.md#cognito-tokens-federated-user, docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints)."""
from __future__ import annotations

import base64
import json

import pytest
import saml_idp
from cognito_helpers import CALLBACK, EXT_WORLD, callback_params, pkce_pair, unique
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

pytestmark = pytest.mark.world(EXT_WORLD)
SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"


def test_authn_request_goes_to_the_sso_url_with_cognitos_issuer_and_acs(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-transport (HTTP-Redirect), "SP entity ID", "ACS endpoint", "RelayState" (> 80 bytes).
    relay_state, request_id, query, xml = cognito.start_saml()
    response = cognito.authorize(identity_provider="ExtIdP")
    assert response.headers["Location"].startswith("https://idp.example.org/sso?SAMLRequest=")
    root = etree.fromstring(xml)
    assert root.tag == f"{SAMLP}AuthnRequest"
    assert root.findtext(f"{SAML}Issuer") == f"urn:amazon:cognito:sp:{cognito.pool.Id}"
    assert root.get("AssertionConsumerServiceURL") == f"{cognito.base}/saml2/idpresponse"
    assert request_id and len(relay_state) > 80
    assert "Signature" not in query   # RequestSigningAlgorithm not set


def test_signed_authn_request_verifies_with_the_pools_signing_certificate(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-signed-authnrequests: rsa-sha256 with the pool's certificate, as GetSigningCertificate returns it.
    from cryptography import x509

    response = cognito.authorize(identity_provider="SignedReqIdP")
    location = response.headers["Location"]
    query_string = location.split("?", 1)[1]
    signed_part, _, signature = query_string.rpartition("&Signature=")
    _, query, _ = saml_idp.read_redirect(location)
    assert query["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    cert_b64 = aws_api(cognito.world).get_signing_certificate(UserPoolId=cognito.pool.Id)["Certificate"]
    cert = x509.load_der_x509_certificate(base64.b64decode(cert_b64))
    from urllib.parse import unquote_plus

    cert.public_key().verify(base64.b64decode(unquote_plus(signature)), signed_part.encode(), padding.PKCS1v15(),
                             hashes.SHA256())


def aws_api(world):
    """boto3 as a user's program reaches AWS: real host names through the world's proxy."""
    import boto3
    import botocore.config

    env = world.env()
    return boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="AKIAHARNESSFAKE00000",
                        aws_secret_access_key="x", verify=world.ca_file,
                        config=botocore.config.Config(proxies={"https": env["HTTPS_PROXY"]}))


def test_full_sign_in_issues_tokens_that_pass_awss_consumer_checks(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-id-token-claims, docs/fidelity/cognito-tokens.md#cognito-tokens-access-token-claims, docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers, docs/fidelity/cognito-tokens.md#cognito-tokens-username,
    # "identities", "Auto-created group"; docs/fidelity/cognito-tokens.md#cognito-tokens-success-redirect, docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-token.
    name = unique("alice")
    verifier, challenge = pkce_pair()
    redirect = cognito.sp_sign_in(name, authorize={"nonce": "n-123", "scope": "openid email profile",
                                                   "code_challenge": challenge, "code_challenge_method": "S256"},
                                  attributes={saml_idp.EMAIL_CLAIM: f"{name}@example.org", "firstName": "Alice",
                                              "department": "R&D", "groups": ["eng", "ops team"]})
    params = callback_params(redirect)
    assert params["state"] == "app-state-1"
    token = cognito.exchange(redirect, code_verifier=verifier)
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["refresh_token"]
    claims = cognito.verify(body["id_token"], "id")
    assert claims["cognito:username"] == f"ExtIdP_{name}"
    assert claims["email"] == f"{name}@example.org"
    assert claims["email_verified"] is False          # docs/fidelity/cognito-federation.md#cognito-federation-email-verified
    assert claims["given_name"] == "Alice"
    assert claims["custom:department"] == "R&D"
    assert claims["custom:groups"] == "[eng, ops+team]"   # docs/fidelity/cognito-federation.md#cognito-federation-multi-valued-saml-attribute, docs/fidelity/cognito-federation.md#cognito-federation-multi-value-encoding
    assert claims["nonce"] == "n-123"
    assert claims["cognito:groups"] == [f"{cognito.pool.Id}_ExtIdP"]
    identity = claims["identities"][0]
    assert identity == {"userId": name, "providerName": "ExtIdP", "providerType": "SAML",
                        "issuer": saml_idp.IDP_ENTITY, "primary": "true", "dateCreated": identity["dateCreated"]}
    assert "at_hash" in claims and claims["origin_jti"] and claims["event_id"]
    access = cognito.verify(body["access_token"], "access")
    assert access["username"] == f"ExtIdP_{name}" and access["sub"] == claims["sub"]
    assert access["scope"] == "openid email profile" and "aud" not in access
    assert jwt_kid(body["id_token"]) != jwt_kid(body["access_token"])   # docs/fidelity/cognito-tokens.md#cognito-tokens-jwt-header


def jwt_kid(token: str) -> str:
    import jwt

    return jwt.get_unverified_header(token)["kid"]


def test_federated_user_is_written_to_moto_as_cognito_does(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-user-status EXTERNAL_PROVIDER, "identities user attribute" (JSON, primary boolean), group.
    name = unique("bob")
    callback_params(cognito.sp_sign_in(name))
    idp = aws_api(cognito.world)
    user = idp.admin_get_user(UserPoolId=cognito.pool.Id, Username=f"ExtIdP_{name}")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    identities = json.loads(attrs["identities"])
    # docs/fidelity/cognito-triggers.md#cognito-triggers-identities-primary
    assert identities[0]["primary"] is True and isinstance(identities[0]["dateCreated"], int)
    groups = idp.admin_list_groups_for_user(UserPoolId=cognito.pool.Id, Username=f"ExtIdP_{name}")["Groups"]
    assert [g["GroupName"] for g in groups] == [f"{cognito.pool.Id}_ExtIdP"]


@pytest.mark.parametrize("sign", ["assertion", "response", "both"])
def test_either_signature_is_accepted(cognito, sign):
    # docs/fidelity/cognito-federation.md#cognito-federation-response-vs-assertion-signature: Cognito validates whichever signature is present.
    assert "code" in callback_params(cognito.sp_sign_in(unique(), sign=sign))


def test_any_certificate_in_the_metadata_verifies(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-signature-verification-key-set: "if it matches any certificate in the SAML metadata".
    assert "code" in callback_params(cognito.sp_sign_in(unique(), key=saml_idp.OTHER_KEY))


def test_signature_by_a_key_not_in_the_metadata_is_rejected(cognito):
    # docs/fidelity/errors.md#errors-invalid-saml-response-received-saml-assertion-signature-is, docs/fidelity/errors.md#errors-invalid-saml-response-received-saml-response-signature-is.
    from mock_cognito import errors

    params = callback_params(cognito.sp_sign_in(unique(), key=saml_idp.ROGUE_KEY))
    assert params == {"error_description": errors.ASSERTION_SIGNATURE_INVALID, "error": "server_error",
                      "state": "app-state-1"}
    params = callback_params(cognito.sp_sign_in(unique(), key=saml_idp.ROGUE_KEY, sign="response"))
    assert params["error_description"] == "Invalid SAML response received: SAML Response signature is invalid"


def test_code_is_single_use(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-lifetimes: auth code single-use; docs/fidelity/cognito-tokens.md#cognito-tokens-token-errors invalid_grant.
    redirect = cognito.sp_sign_in(unique())
    assert cognito.exchange(redirect).status_code == 200
    again = cognito.exchange(redirect)
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}


def test_code_expires_after_five_minutes(cognito):
    redirect = cognito.sp_sign_in(unique())
    cognito.world.clock.advance(301)
    response = cognito.exchange(redirect)
    assert response.status_code == 400 and response.json() == {"error": "invalid_grant"}


def test_client_secret_post_is_accepted_and_a_wrong_secret_is_invalid_client(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-token: client_secret_basic or client_secret_post.
    redirect = cognito.sp_sign_in(unique())
    code = callback_params(redirect)["code"]
    wrong = cognito.http.post(f"{cognito.base}/oauth2/token", timeout=10, data={
        "grant_type": "authorization_code", "client_id": cognito.client("web").ClientId, "client_secret": "nope",
        "code": code, "redirect_uri": CALLBACK})
    assert wrong.status_code == 400 and wrong.json() == {"error": "invalid_client"}
    redirect = cognito.sp_sign_in(unique())
    ok = cognito.exchange(redirect, auth="post")
    assert ok.status_code == 200, ok.text


def test_pkce_verifier_required_and_checked(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-pkce: code_verifier required at /oauth2/token iff a challenge was sent.
    verifier, challenge = pkce_pair()
    pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    missing = cognito.exchange(cognito.sp_sign_in(unique(), authorize=pkce))
    assert missing.json() == {"error": "invalid_request"}
    wrong = cognito.exchange(cognito.sp_sign_in(unique(), authorize=pkce), code_verifier="x" * 50)
    assert wrong.json() == {"error": "invalid_grant"}


def test_redirect_uri_must_match_the_authorize_value(cognito):
    redirect = cognito.sp_sign_in(unique())
    code = callback_params(redirect)["code"]
    response = cognito.token(grant_type="authorization_code", code=code, redirect_uri=CALLBACK + "/other")
    assert response.status_code == 400 and response.json() == {"error": "invalid_grant"}


def test_describe_identity_provider_adds_what_cognito_adds(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-providerdetails-keys-2, docs/fidelity/cognito-federation.md#cognito-federation-encrypted-assertions (ActiveEncryptionCertificate).
    from cryptography import x509

    from mock_cognito.saml.signing_certificate import encryption_certificate
    from world_common.keys import cert_body_b64

    api = aws_api(cognito.world)
    details = api.describe_identity_provider(UserPoolId=cognito.pool.Id, ProviderName="ExtIdP")[
        "IdentityProvider"]["ProviderDetails"]
    assert details["SSORedirectBindingURI"] == "https://idp.example.org/sso"
    assert details["SLORedirectBindingURI"] == "https://idp.example.org/slo"
    enc = api.describe_identity_provider(UserPoolId=cognito.pool.Id, ProviderName="EncIdP")[
        "IdentityProvider"]["ProviderDetails"]["ActiveEncryptionCertificate"]
    assert enc == cert_body_b64(encryption_certificate(cognito.pool.Id, "EncIdP"))
    x509.load_der_x509_certificate(base64.b64decode(enc))


def test_groups_by_precedence_and_role_claims(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-group-derived-claims: cognito:groups ordered by precedence; cognito:roles and
    # cognito:preferred_role when groups carry IAM roles.
    name = unique("carol")
    callback_params(cognito.sp_sign_in(name))
    api = aws_api(cognito.world)
    role = "arn:aws:iam::123456789012:role/pool-admins"
    group = unique("admins")
    api.create_group(UserPoolId=cognito.pool.Id, GroupName=group, RoleArn=role, Precedence=1)
    api.admin_add_user_to_group(UserPoolId=cognito.pool.Id, Username=f"ExtIdP_{name}", GroupName=group)
    claims = cognito.verify(cognito.exchange(cognito.sp_sign_in(name)).json()["id_token"], "id")
    assert claims["cognito:groups"] == [group, f"{cognito.pool.Id}_ExtIdP"]
    assert claims["cognito:roles"] == [role] and claims["cognito:preferred_role"] == role


@pytest.mark.parametrize("algorithms", [
    ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256"),
    ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1"),
], ids=["rsa-sha256", "rsa-sha1"])
def test_response_signed_by_python3_saml_xmlsec(cognito, algorithms):
    # A third implementation (python3-saml's add_sign over the xmlsec library) signs the
    # Response; docs/fidelity/cognito-federation.md#cognito-federation-signature-algorithms-accepted is undocumented (SHA-1 accepted: unconfirmed).
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    from world_common import keys

    name = unique("xmlsec")
    relay_state, request_id, _, _ = cognito.start_saml()
    xml = cognito.response_xml(name, request_id, sign="none")
    signed = OneLogin_Saml2_Utils.add_sign(xml, keys.pem_private(saml_idp.IDP_KEY).decode(),
                                           keys.pem_cert(saml_idp.CERTS[id(saml_idp.IDP_KEY)]).decode(),
                                           sign_algorithm=algorithms[0], digest_algorithm=algorithms[1])
    params = callback_params(cognito.post_acs(saml_idp.b64(signed), relay_state))
    assert "code" in params, params
    relay_state, request_id, _, _ = cognito.start_saml()
    xml = cognito.response_xml(name, request_id, sign="none")
    signed = OneLogin_Saml2_Utils.add_sign(xml, keys.pem_private(saml_idp.IDP_KEY).decode(),
                                           keys.pem_cert(saml_idp.CERTS[id(saml_idp.IDP_KEY)]).decode(),
                                           sign_algorithm=algorithms[0], digest_algorithm=algorithms[1])
    tampered = signed.replace(f"{name}@example.org".encode(), b"mallory@example.org")
    params = callback_params(cognito.post_acs(saml_idp.b64(tampered), relay_state))
    from mock_cognito import errors

    assert params["error_description"] == errors.RESPONSE_SIGNATURE_INVALID
