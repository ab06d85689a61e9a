"""The client application stand-in (``https://app.example.com`` in the default world).

A small web app that signs in with the user pool's hosted UI the way a real app does: it
redirects to ``/oauth2/authorize`` (state, nonce, PKCE S256), takes the code at ``/callback``,
exchanges it at ``/oauth2/token`` with the client secret, verifies the ID token against the
pool's JWKS with PyJWT (iss, aud, token_use, exp, nonce: docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers) and shows the claims.

Page selectors: ``GET /`` has one ``a[data-client="<ClientName>"]`` "Sign in with <ClientName>"
link per client; ``/callback`` shows the ID token's claims as JSON in ``<pre id="claims">``, or
Cognito's error in ``<p id="error">`` (``data-error`` holds the ``error`` code, the text is the
``error_description``, or the code when there is none).
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from urllib.parse import urlencode

import jwt
from flask import Flask, jsonify, request
from markupsafe import escape

from world_common.flask_app import WorldFlask

PENDING_LIMIT = 1000


def _page(title: str, body: str, status: int = 200):
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>", status)


def _error(code: str, description: str | None, status: int = 400):
    text = description or code
    return _page("Sign-in failed", f'<p id="error" data-error="{escape(code)}">{escape(text)}</p>', status)


def create_app(app_record, world, services) -> Flask:
    app = WorldFlask("app_standin")
    base = app_record.url.rstrip("/")
    callback = f"{base}/callback"
    pool = world.user_pool(app_record.user_pool)
    clients = {name: world.client(pool.PoolName, name) for name in app_record.clients}
    pending: dict[str, dict] = {}
    lock = threading.Lock()
    jwks_cache: dict[str, jwt.PyJWKSet] = {}

    def signing_key(kid: str):
        for attempt in range(2):
            if attempt or "keys" not in jwks_cache:
                document = services.http.get(f"{pool.issuer}/.well-known/jwks.json", timeout=10).json()
                jwks_cache["keys"] = jwt.PyJWKSet.from_dict(document)
            for key in jwks_cache["keys"].keys:
                if key.key_id == kid:
                    return key.key
        raise jwt.InvalidTokenError(f"no key with kid {kid} in the pool's JWKS")

    @app.get("/")
    def home():
        links = "".join(f'<li><a href="/login?{escape(urlencode({"client": name}))}" data-client="{escape(name)}">'
                        f"Sign in with {escape(name)}</a></li>" for name in clients)
        return _page("Example app", f"<ul>{links}</ul>")

    @app.get("/login")
    def login():
        name = request.args.get("client", next(iter(clients), ""))
        client = clients.get(name)
        if client is None:
            return _error("unknown_client", f"This app has no client named {name!r}")
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        with lock:
            if len(pending) > PENDING_LIMIT:
                pending.clear()
            pending[state] = {"client": name, "nonce": nonce, "verifier": verifier}
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        params = {"response_type": "code", "client_id": client.ClientId, "redirect_uri": callback,
                  "scope": " ".join(client.AllowedOAuthScopes or ["openid"]), "state": state, "nonce": nonce,
                  "code_challenge": challenge, "code_challenge_method": "S256"}
        for extra in ("identity_provider", "idp_identifier", "prompt", "login_hint"):
            if request.args.get(extra):
                params[extra] = request.args[extra]
        return "", 302, {"Location": f"{pool.domain_url}/oauth2/authorize?{urlencode(params)}"}

    @app.get("/callback")
    def callback_view():
        args = request.args
        if args.get("error"):
            return _error(args["error"], args.get("error_description"))
        if "state" not in args and args.get("code"):
            # IdP-initiated sign-in (docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-post-body): Cognito sends a code
            # with no state of this app's, so there is no nonce or PKCE verifier to check; the
            # code belongs to the first client this app lists.
            started = {"client": next(iter(clients)), "nonce": None, "verifier": None}
        else:
            with lock:
                started = pending.pop(args.get("state", ""), None)
            if started is None:
                return _error("invalid_state", "The state does not match a sign-in this app started")
        client = clients[started["client"]]
        form = {"grant_type": "authorization_code", "client_id": client.ClientId, "code": args.get("code", ""),
                "redirect_uri": callback}
        if started["verifier"]:
            form["code_verifier"] = started["verifier"]
        auth = (client.ClientId, client.ClientSecret) if client.ClientSecret else None
        response = services.http.post(f"{pool.domain_url}/oauth2/token", data=form, auth=auth, timeout=10)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "id_token" not in body:
            # A code Cognito refuses (invalid_grant...) is the caller's bad input: 400; only a
            # failure of Cognito itself makes this app a failing gateway.
            status = 502 if response.status_code >= 500 else 400
            return _error(body.get("error", f"http_{response.status_code}"), "The token request failed", status)
        try:
            claims = verify_id_token(body["id_token"], signing_key, pool.issuer, client.ClientId, started["nonce"],
                                     services.clock.time())
        except jwt.PyJWTError as exc:
            return _error("invalid_id_token", str(exc), 502)
        logout = f'/logout?{escape(urlencode({"client": started["client"]}))}'
        return _page("Signed in", f'<pre id="claims">{escape(json.dumps(claims, indent=2, sort_keys=True))}</pre>'
                                  f'<p><a id="sign-out" href="{logout}">Sign out</a></p>')

    @app.get("/logout")
    def logout():
        """Sign out as an app using the hosted UI does: the app forgets its session (it keeps
        none beyond the page) and sends the browser to Cognito's /logout with its client id and
        a logout_uri from the client's LogoutURLs (docs/fidelity/cognito-tokens.md#cognito-tokens-logout)."""
        name = request.args.get("client", next(iter(clients), ""))
        client = clients.get(name)
        if client is None:
            return _error("unknown_client", f"This app has no client named {name!r}")
        params = {"client_id": client.ClientId, "logout_uri": (client.LogoutURLs or [f"{base}/"])[0]}
        return "", 302, {"Location": f"{pool.domain_url}/logout?{urlencode(params)}"}

    # Behind the ALB (issue 9, docs/fidelity/alb.md#alb-headers-to-targets): the x-amzn-oidc-* headers
    # this app received, as JSON, or as a page for a browser. Added by the ALB developer.
    @app.get("/headers")
    def oidc_headers():
        received = {k.lower(): v for k, v in request.headers.items() if k.lower().startswith("x-amzn-oidc-")}
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) != "text/html":
            return jsonify(received)
        rows = "".join(f"<dt>{escape(k)}</dt><dd><code id='{escape(k)}'>{escape(v)}</code></dd>"
                       for k, v in sorted(received.items()))
        return f"<!doctype html><title>Headers</title><h1>Headers from the load balancer</h1><dl>{rows}</dl>", 200

    return app


def verify_id_token(token: str, key_for_kid, issuer: str, client_id: str, nonce: str | None, now: float) -> dict:
    """AWS's consumer checks (docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers): signature
    with the JWKS key named by ``kid``, ``iss``, ``aud`` = client id, ``token_use`` = ``id``,
    ``exp`` against the world's clock, and the ``nonce`` this app sent."""
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, key_for_kid(header.get("kid")), algorithms=["RS256"], audience=client_id,
                        issuer=issuer, options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    if claims.get("token_use") != "id":
        raise jwt.InvalidTokenError(f"token_use is {claims.get('token_use')!r}, not 'id'")
    if claims.get("exp", 0) <= now:
        raise jwt.ExpiredSignatureError("the ID token has expired")
    if nonce is not None and claims.get("nonce") != nonce:
        raise jwt.InvalidTokenError("the nonce does not match the one this app sent")
    return claims
