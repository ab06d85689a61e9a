"""The Cognito tests' client: drive the hosted UI over HTTP (``world.http``) as an app and a
SAML IdP would, and check tokens with PyJWT against the pool's JWKS URL."""
from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import jwt
import saml_idp
from lxml import etree

from harness.internet import routed_session

CALLBACK = "https://app.example.com/callback"
EXT_WORLD = "worlds/external_idp.yaml"


class Cognito:
    """The pool ``pool_name`` of a running world, seen from outside."""

    def __init__(self, world, pool_name: str = "ext-pool") -> None:
        self.world = world
        # A session of its own (its own cookie jar, like one browser), routed like world.http.
        self.http = routed_session(world.port, world.world.hosts(), world.ca_file)
        self.pool = world.world.user_pool(pool_name)
        self.base = self.pool.domain_url
        self.acs = f"{self.base}/saml2/idpresponse"

    def client(self, name: str):
        return self.world.world.client(self.pool.PoolName, name)

    def get(self, path: str, **params):
        return self.http.get(f"{self.base}{path}", params=params, allow_redirects=False, timeout=10)

    def authorize(self, client: str = "web", **params):
        query = {"client_id": self.client(client).ClientId, "redirect_uri": CALLBACK, "response_type": "code",
                 "state": "app-state-1"}
        query.update(params)
        return self.get("/oauth2/authorize", **{k: v for k, v in query.items() if v is not None})

    def start_saml(self, provider: str = "ExtIdP", client: str = "web", **params):
        """(relay_state, AuthnRequest ID, redirect query, AuthnRequest XML) of an SP-initiated start."""
        response = self.authorize(client, identity_provider=provider, **params)
        assert response.status_code == 302, response.text
        _, query, xml = saml_idp.read_redirect(response.headers["Location"])
        return query["RelayState"], etree.fromstring(xml).get("ID"), query, xml

    def response_xml(self, name_id: str, in_response_to: str | None, **kw) -> bytes:
        kw.setdefault("attributes", {saml_idp.EMAIL_CLAIM: f"{name_id}@example.org", "email": f"{name_id}@example.org"})
        return saml_idp.build_response(now=self.world.clock.now(), name_id=name_id, acs_url=self.acs,
                                       audience=f"urn:amazon:cognito:sp:{self.pool.Id}",
                                       in_response_to=in_response_to, **kw)

    def post_acs(self, saml_response: str | None, relay_state: str | None):
        data = {}
        if saml_response is not None:
            data["SAMLResponse"] = saml_response
        if relay_state is not None:
            data["RelayState"] = relay_state
        return self.http.post(self.acs, data=data, allow_redirects=False, timeout=10)

    def sp_sign_in(self, name_id: str, provider: str = "ExtIdP", client: str = "web", authorize: dict | None = None,
                   **response_kw):
        relay_state, request_id, _, _ = self.start_saml(provider, client, **(authorize or {}))
        xml = self.response_xml(name_id, request_id, **response_kw)
        return self.post_acs(saml_idp.b64(xml), relay_state)

    def token(self, client: str = "web", auth: str = "basic", **form):
        app_client = self.client(client)
        form.setdefault("client_id", app_client.ClientId)
        kwargs = {}
        if app_client.ClientSecret and auth == "basic":
            kwargs["auth"] = (app_client.ClientId, app_client.ClientSecret)
        elif app_client.ClientSecret and auth == "post":
            form["client_secret"] = app_client.ClientSecret
        return self.http.post(f"{self.base}/oauth2/token", data=form, timeout=10, **kwargs)

    def exchange(self, redirect, client: str = "web", **form):
        code = callback_params(redirect)["code"]
        return self.token(client, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, **form)

    def jwks(self) -> jwt.PyJWKSet:
        return jwt.PyJWKSet.from_dict(self.http.get(f"{self.pool.issuer}/.well-known/jwks.json", timeout=10).json())

    def verify(self, token: str, use: str, client: str = "web") -> dict:
        """AWS's consumer checks (docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers)."""
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in self.jwks().keys if k.key_id == kid)
        client_id = self.client(client).ClientId
        claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=self.pool.issuer,
                            audience=client_id if use == "id" else None,
                            options={"verify_aud": use == "id", "verify_exp": False, "verify_iat": False})
        assert claims["token_use"] == use
        if use == "access":
            assert claims["client_id"] == client_id
        assert claims["exp"] > self.world.clock.time()
        return claims


def callback_params(response) -> dict:
    """The query of a 302 to the app's callback."""
    assert response.status_code == 302, (response.status_code, response.text[:500])
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def unique(prefix: str = "user") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"

