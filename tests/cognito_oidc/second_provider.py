"""A second OpenID Provider, written for these tests with joserfc (Authlib's JOSE successor), so
that Cognito's OIDC client is exercised against an implementation the project did not write.

It signs users in without a page (its /authorize answers at once), keeps what Cognito sent it,
and can be told to misbehave: sign with another algorithm or key, claim another issuer or
audience, send an expired token, refuse userInfo, answer the token call with an OAuth error.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

ISSUER = "https://idp.example.test"
CLIENT_ID = "cognito-at-second-idp"
CLIENT_SECRET = "second-idp-client-secret-0123456789abcdef"
SUBJECT = "user-7f3a9c"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Behaviour:
    """What the provider does on the next sign-ins (tests change it between sign-ins)."""
    alg: str = "RS256"                 # RS256 | ES256 | HS256 | none | HS256-public-key
    kid: str | None = None             # None: the signing key's kid
    iss: str = ISSUER
    aud: str | list | None = None      # None: CLIENT_ID
    exp_in: int = 3600
    nonce: str | None = None           # None: echo the nonce Cognito sent
    token_error: tuple | None = None   # (status, body dict or text)
    userinfo_status: int = 200
    token_delay: float = 0.0           # seconds the token endpoint waits before answering
    jwks_delay: float = 0.0
    claims: dict = field(default_factory=lambda: {"email": "carol@example.test", "given_name": "Carol",
                                                  "family_name": "Jones", "email_verified": True})


class SecondProvider:
    def __init__(self, clock) -> None:
        self.clock = clock
        self.key = RSAKey.generate_key(2048, parameters={"kid": "second-1", "use": "sig", "alg": "RS256"})
        self.ec_key = ECKey.generate_key("P-256", parameters={"kid": "second-ec", "use": "sig", "alg": "ES256"})
        self.behaviour = Behaviour()
        self.codes: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.userinfo_methods: list[str] = []
        self.app = self._create_app()

    def discovery(self) -> dict:
        return {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token", "userinfo_endpoint": f"{ISSUER}/userinfo",
                "jwks_uri": f"{ISSUER}/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"]}

    def id_token(self, nonce: str) -> str:
        b = self.behaviour
        now = int(self.clock.time())
        claims = {"iss": b.iss, "sub": SUBJECT, "aud": b.aud if b.aud is not None else CLIENT_ID,
                  "iat": now, "exp": now + b.exp_in, "nonce": b.nonce if b.nonce is not None else nonce,
                  **b.claims}
        if b.alg == "none":
            return f"{_b64(json.dumps({'alg': 'none'}).encode())}.{_b64(json.dumps(claims).encode())}."
        if b.alg == "HS256-public-key":
            # The classic key-confusion forgery: HMAC keyed with the provider's public key PEM.
            secret = self.key.as_pem(private=False)
            signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'kid': self.key.kid}).encode())}." \
                            f"{_b64(json.dumps(claims).encode())}"
            mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{_b64(mac)}"
        if b.alg == "HS256":
            return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(CLIENT_SECRET))
        key = self.ec_key if b.alg == "ES256" else self.key
        return jwt.encode({"alg": b.alg, "kid": b.kid or key.kid}, claims, key)

    def _create_app(self) -> Flask:
        app = Flask("second_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(self.discovery())

        @app.get("/broken/.well-known/openid-configuration")
        def broken_discovery():
            return jsonify(error="not_found", error_description="no such issuer"), 404

        @app.get("/jwks")
        def jwks():
            time.sleep(self.behaviour.jwks_delay)
            return jsonify({"keys": [self.key.as_dict(private=False), self.ec_key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():
            params = request.args.to_dict()
            self.authorize_requests.append(params)
            code = secrets.token_urlsafe(16)
            self.codes[code] = params
            return redirect(f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}")

        @app.post("/token")
        def token():
            form = request.form.to_dict()
            self.token_requests.append({"form": form, "authorization": request.headers.get("Authorization")})
            time.sleep(self.behaviour.token_delay)
            if self.behaviour.token_error is not None:
                status, body = self.behaviour.token_error
                if isinstance(body, dict):
                    return jsonify(body), status
                return body, status, {"Content-Type": "text/plain"}
            if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                return jsonify(error="invalid_client", error_description="client authentication failed"), 401
            issued = self.codes.pop(form.get("code", ""), None)
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return jsonify(error="invalid_grant", error_description="unknown or used code"), 400
            return jsonify(access_token=f"at-{secrets.token_urlsafe(8)}", token_type="Bearer", expires_in=3600,
                           id_token=self.id_token(issued.get("nonce", "")))

        @app.route("/userinfo", methods=["GET", "POST"])
        def userinfo():
            self.userinfo_methods.append(request.method)
            if not (request.headers.get("Authorization") or "").startswith("Bearer at-"):
                return jsonify(error="invalid_token"), 401
            if self.behaviour.userinfo_status != 200:
                return jsonify(error="insufficient_scope"), self.behaviour.userinfo_status
            return jsonify(sub=SUBJECT, **self.behaviour.claims)

        return app
