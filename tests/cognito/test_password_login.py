"""The managed login's password form for native users, beside the IdP buttons
(docs/fidelity/cognito-triggers.md#cognito-triggers-password-texts)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import urlencode

import pytest
from cognito_helpers import CALLBACK, Cognito, callback_params, unique
from test_triggers import idp_api  # noqa: F401  (fixture)

pytestmark = pytest.mark.world("worlds/triggers.yaml")
PASSWORD = "Corr3ct-Horse!"


@pytest.fixture
def plain(world):
    cognito = Cognito(world, "plain")
    yield cognito
    cognito.http.close()


def query(cognito: Cognito) -> str:
    return urlencode({"client_id": cognito.client("web").ClientId, "redirect_uri": CALLBACK, "response_type": "code",
                      "scope": "openid email", "state": "s1"})


def post_login(cognito: Cognito, username: str, password: str):
    return cognito.http.post(f"{cognito.base}/login?{query(cognito)}", data={"username": username, "password": password},
                             allow_redirects=False, timeout=10)


def shown_error(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r'<p id="error-message"[^>]*>([^<]*)</p>', response.text).group(1)


def native_user(idp_api, cognito: Cognito, **kw) -> str:
    name = unique("native")
    idp_api.admin_create_user(UserPoolId=cognito.pool.Id, Username=name, MessageAction="SUPPRESS", **kw)
    return name


def test_login_page_shows_the_password_form_beside_the_idp_buttons(plain):
    page = plain.http.get(f"{plain.base}/login?{query(plain)}", timeout=10)
    assert 'id="signInFormUsername"' in page.text and 'name="signInSubmitButton"' in page.text
    assert 'data-provider="ExtIdP"' in page.text


def test_native_user_signs_in_with_the_password(plain, idp_api):
    name = native_user(idp_api, plain)
    idp_api.admin_set_user_password(UserPoolId=plain.pool.Id, Username=name, Password=PASSWORD, Permanent=True)
    tokens = plain.exchange(post_login(plain, name, PASSWORD)).json()
    claims = plain.verify(tokens["id_token"], "id")
    assert claims["cognito:username"] == name and "identities" not in claims and "nonce" not in claims


def test_wrong_password_and_unknown_user_say_the_same(plain, idp_api):
    name = native_user(idp_api, plain)
    idp_api.admin_set_user_password(UserPoolId=plain.pool.Id, Username=name, Password=PASSWORD, Permanent=True)
    assert shown_error(post_login(plain, name, "wrong")) == "Incorrect username or password."
    assert shown_error(post_login(plain, unique("nobody"), PASSWORD)) == "Incorrect username or password."


def test_disabled_and_unconfirmed_users(plain, idp_api):
    name = native_user(idp_api, plain)
    idp_api.admin_set_user_password(UserPoolId=plain.pool.Id, Username=name, Password=PASSWORD, Permanent=True)
    idp_api.admin_disable_user(UserPoolId=plain.pool.Id, Username=name)
    assert shown_error(post_login(plain, name, PASSWORD)) == "User is disabled."
    client = plain.client("web")
    signed_up = unique("signup")
    digest = hmac.new(client.ClientSecret.encode(), (signed_up + client.ClientId).encode(), hashlib.sha256).digest()
    idp_api.sign_up(ClientId=client.ClientId, Username=signed_up, Password=PASSWORD,
                    SecretHash=base64.b64encode(digest).decode())
    assert shown_error(post_login(plain, signed_up, PASSWORD)) == "User is not confirmed."


def test_force_change_password_asks_for_a_new_one(plain, idp_api):
    name = native_user(idp_api, plain, TemporaryPassword="Temp-Passw0rd!")
    page = post_login(plain, name, "Temp-Passw0rd!")
    assert page.status_code == 200 and "Change Password" in page.text
    challenge = re.search(r'name="challenge" value="([^"]+)"', page.text).group(1)
    url = f"{plain.base}/forceChangePassword?{query(plain)}"
    again = plain.http.post(url, data={"challenge": challenge, "password": PASSWORD, "password_confirm": "other"},
                            allow_redirects=False, timeout=10)
    assert shown_error(again) == "Passwords do not match."
    challenge = re.search(r'name="challenge" value="([^"]+)"', again.text).group(1)
    done = plain.http.post(url, data={"challenge": challenge, "password": PASSWORD, "password_confirm": PASSWORD},
                           allow_redirects=False, timeout=10)
    assert "code" in callback_params(done)
    assert idp_api.admin_get_user(UserPoolId=plain.pool.Id, Username=name)["UserStatus"] == "CONFIRMED"
