"""The app stand-in signs out the way an app on the hosted UI does: to Cognito's /logout."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def test_sign_out_goes_to_cognito_logout_with_a_registered_logout_uri(world):
    client = world.world.client("acme-users", "web")
    response = world.http.get("https://app.example.com/logout?client=web", allow_redirects=False)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://myapp.auth.us-east-1.amazoncognito.com/logout"
    params = parse_qs(target.query)
    assert params == {"client_id": [client.ClientId], "logout_uri": [client.LogoutURLs[0]]}
    # Cognito accepts it and sends the browser back to the app (docs/fidelity/cognito-tokens.md#cognito-tokens-logout)
    back = world.http.get(response.headers["Location"], allow_redirects=False)
    assert back.status_code == 302 and back.headers["Location"] == "https://app.example.com/"


def test_unknown_client_is_named(world):
    response = world.http.get("https://app.example.com/logout?client=nope", allow_redirects=False)
    assert response.status_code == 400 and "nope" in response.text
