"""What is created through the AWS API after the world started behaves as if the world file had
declared it: the hosted UI, the token endpoint and the JWKS read moto, where the API writes, never
the world file's records."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from cognito_helpers import CALLBACK, Cognito, unique
from test_password_login import PASSWORD
from test_triggers import idp_api  # noqa: F401  (fixture)

pytestmark = pytest.mark.world("worlds/triggers.yaml")


class Created(Cognito):
    """The pool ``plain`` seen from outside, with clients created through the API by name."""

    def __init__(self, world) -> None:
        super().__init__(world, "plain")
        self.created: dict[str, SimpleNamespace] = {}

    def client(self, name: str):
        return self.created.get(name) or super().client(name)


@pytest.fixture
def created(world, idp_api):  # noqa: F811  (fixture)
    cognito = Created(world)
    details = idp_api.describe_identity_provider(UserPoolId=cognito.pool.Id, ProviderName="ExtIdP")["IdentityProvider"]
    provider = unique("Late")
    idp_api.create_identity_provider(
        UserPoolId=cognito.pool.Id, ProviderName=provider, ProviderType="SAML",
        ProviderDetails={"MetadataFile": details["ProviderDetails"]["MetadataFile"]},
        AttributeMapping={"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"})
    made = idp_api.create_user_pool_client(
        UserPoolId=cognito.pool.Id, ClientName=unique("late"), GenerateSecret=True, CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=[provider, "COGNITO"], AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    cognito.created["late"] = SimpleNamespace(ClientId=made["ClientId"], ClientSecret=made["ClientSecret"])
    cognito.provider = provider
    yield cognito
    cognito.http.close()


def test_a_client_created_after_start_signs_a_native_user_in(created, idp_api):
    name = unique("native")
    idp_api.admin_create_user(UserPoolId=created.pool.Id, Username=name, MessageAction="SUPPRESS")
    idp_api.admin_set_user_password(UserPoolId=created.pool.Id, Username=name, Password=PASSWORD, Permanent=True)
    login = created.http.post(f"{created.base}/login", params={
        "client_id": created.client("late").ClientId, "redirect_uri": CALLBACK, "response_type": "code",
        "scope": "openid email"}, data={"username": name, "password": PASSWORD}, allow_redirects=False, timeout=10)
    tokens = created.exchange(login, client="late")
    assert tokens.status_code == 200, tokens.text
    claims = created.verify(tokens.json()["id_token"], "id", client="late")
    assert claims["cognito:username"] == name and claims["aud"] == created.client("late").ClientId


def test_an_identity_provider_created_after_start_signs_its_users_in(created):
    response = created.exchange(created.sp_sign_in("late-user", provider=created.provider, client="late",
                                                   authorize={"scope": "openid email"}), client="late")
    assert response.status_code == 200, response.text
    claims = created.verify(response.json()["id_token"], "id", client="late")
    assert claims["email"] == "late-user@example.org"
    assert [i["providerName"] for i in claims["identities"]] == [created.provider]
