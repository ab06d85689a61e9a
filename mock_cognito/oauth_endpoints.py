"""``/oauth2/token``, ``/oauth2/userInfo`` and ``/oauth2/revoke`` (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints).

Token errors are HTTP 400 JSON ``{"error": …}`` (docs/fidelity/cognito-tokens.md#cognito-tokens-token-errors); userInfo errors are in
``WWW-Authenticate`` (docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-userinfo).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import replace
from urllib.parse import unquote_plus

import jwt
from flask import Blueprint, Response, jsonify, request

from world_common.ids import uuid4

from . import errors, moto_adapter, tokens
from .config import ClientView, PoolView
from .context import ctx
from .federation import functions, issue_for
from .store import Grant
from .triggers import TriggerFailed, pre_token

bp = Blueprint("cognito_oauth2", __name__)


def _pool() -> PoolView:
    pool = ctx().pool()
    if pool is None:
        raise errors.TokenError(errors.INVALID_REQUEST)
    return pool


def _token_error(exc: errors.TokenError) -> Response:
    response = jsonify({"error": exc.error})
    response.status_code = exc.status
    return response


@bp.errorhandler(errors.TokenError)
def _handle(exc):
    return _token_error(exc)


# ---- client authentication (docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-token: client_secret_basic or client_secret_post) ------

def authenticate_client(pool: PoolView) -> ClientView:
    header = request.headers.get("Authorization", "")
    form = request.form
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
            client_id, _, secret = decoded.partition(":")
            client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        except (ValueError, UnicodeDecodeError):
            raise errors.TokenError(errors.INVALID_CLIENT) from None
        if form.get("client_id") and form["client_id"] != client_id:
            raise errors.TokenError(errors.INVALID_CLIENT)
    else:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    client = ctx().client(pool, client_id)
    if client is None:
        raise errors.TokenError(errors.INVALID_CLIENT)
    if client.secret is not None and not hmac.compare_digest(client.secret.encode(), (secret or "").encode()):
        raise errors.TokenError(errors.INVALID_CLIENT)
    return client


# ---- /oauth2/token --------------------------------------------------------------------------------

@bp.route("/oauth2/token", methods=["POST"])
def token():
    if request.mimetype != "application/x-www-form-urlencoded":
        raise errors.TokenError(errors.INVALID_REQUEST)   # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints: form-encoded body only
    pool = _pool()
    client = authenticate_client(pool)
    grant_type = request.form.get("grant_type")
    if grant_type == "authorization_code":
        body = _authorization_code(pool, client)
    elif grant_type == "refresh_token":
        body = _refresh_token(pool, client)
    elif grant_type == "client_credentials":
        body = _client_credentials(pool, client)
    elif not grant_type:
        raise errors.TokenError(errors.INVALID_REQUEST)
    else:
        raise errors.TokenError(errors.UNSUPPORTED_GRANT_TYPE)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _authorization_code(pool: PoolView, client: ClientView) -> dict:
    form = request.form
    code = form.get("code")
    if not code:
        raise errors.TokenError(errors.INVALID_REQUEST)
    context = ctx()
    now = context.services.clock.time()
    grant = context.store.take_code(code, now)   # docs/fidelity/cognito-tokens.md#cognito-tokens-federated-user "auth code 5 min single-use"
    if grant is None or grant.client_id != client.client_id or grant.pool_id != pool.id:
        raise errors.TokenError(errors.INVALID_GRANT)
    if form.get("redirect_uri") != grant.redirect_uri:   # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints "redirect_uri must equal authorize value"
        raise errors.TokenError(errors.INVALID_GRANT)
    if grant.code_challenge:   # docs/fidelity/cognito-tokens.md#cognito-tokens-pkce: code_verifier required iff a challenge was sent
        verifier = form.get("code_verifier")
        if not verifier:
            raise errors.TokenError(errors.INVALID_REQUEST)
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not hmac.compare_digest(digest, grant.code_challenge):
            raise errors.TokenError(errors.INVALID_GRANT)
    user = _user(pool, grant.username)
    issued = issue_for(pool, client, grant, user, now)
    body = {}
    if "id_token" in issued:
        body["id_token"] = issued["id_token"]
    body["access_token"] = issued["access_token"]
    body["refresh_token"] = context.store.new_refresh_token(replace(grant), now)
    body.update({"expires_in": client.access_token_seconds, "token_type": "Bearer"})
    return body


def _refresh_token(pool: PoolView, client: ClientView) -> dict:
    token = request.form.get("refresh_token")
    if not token:
        raise errors.TokenError(errors.INVALID_REQUEST)
    now = ctx().services.clock.time()
    grant = ctx().store.refresh_grant(token)
    if (grant is None or grant.client_id != client.client_id or grant.pool_id != pool.id
            or now - grant.issued > client.refresh_token_seconds):
        raise errors.TokenError(errors.INVALID_GRANT)
    user = _user(pool, grant.username)
    try:   # docs/fidelity/cognito-triggers.md#cognito-triggers-federation-sources
        custom = pre_token.run(pool, "TokenGeneration_RefreshTokens", user, client.client_id, grant.scopes,
                               functions(), ctx().services)
    except TriggerFailed:
        raise errors.TokenError(errors.INVALID_REQUEST) from None   # error code unconfirmed
    # docs/fidelity/cognito-tokens.md#cognito-tokens-refresh-behaviour: new ID and access tokens, auth_time kept, no new refresh token
    # (rotation off); the nonce of the original sign-in is not repeated (unconfirmed).
    issued = issue_for(pool, client, replace(grant, nonce=None, event_id=uuid4(), custom=custom), user, now)
    body = {}
    if "id_token" in issued:
        body["id_token"] = issued["id_token"]
    body.update({"access_token": issued["access_token"], "expires_in": client.access_token_seconds,
                 "token_type": "Bearer"})
    return body


def _client_credentials(pool: PoolView, client: ClientView) -> dict:
    if "client_credentials" not in client.allowed_flows:
        raise errors.TokenError(errors.UNAUTHORIZED_CLIENT)
    if client.secret is None:
        raise errors.TokenError(errors.INVALID_CLIENT)
    requested = (request.form.get("scope") or "").split()
    allowed = [s for s in client.allowed_scopes if "/" in s]   # resource-server scopes only
    for name in requested:
        if name not in allowed:
            raise errors.TokenError("invalid_scope")   # RFC 6749 §5.2; Cognito's exact code unconfirmed
    scopes = requested or allowed
    now = int(ctx().services.clock.time())
    claims = {"sub": client.client_id, "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
              "iss": pool.issuer, "exp": now + client.access_token_seconds, "iat": now, "version": 2,
              "jti": uuid4(), "client_id": client.client_id}
    kid, key = tokens.signing_keys(pool.id)["access"]
    access = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
    return {"access_token": access, "expires_in": client.access_token_seconds, "token_type": "Bearer"}


def _user(pool: PoolView, username: str) -> dict:
    user = moto_adapter.find_user(pool.account_id, pool.region, pool.id, username)
    if user is None or not user.get("enabled", True):
        raise errors.TokenError(errors.INVALID_GRANT)   # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints: user deleted or disabled
    return user


# ---- /oauth2/userInfo (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints) ------------------------------------------------------------------------

def _userinfo_error(status: int, header: str) -> Response:
    response = Response("", status=status)
    response.headers["WWW-Authenticate"] = f"Bearer {header}"
    return response


@bp.route("/oauth2/userInfo", methods=["GET", "POST"])
def userinfo():
    header = request.headers.get("Authorization", "")
    if request.method != "GET" or not header.startswith("Bearer ") or not header[7:].strip():
        return _userinfo_error(400, errors.USERINFO_BAD_REQUEST)   # docs/fidelity/cognito-federation.md#cognito-federation-oidc "Cognito's own userInfo requires GET"
    pool = ctx().pool()
    now = ctx().services.clock.time()
    claims = tokens.verify_access_token(header[7:].strip(), pool.id, pool.issuer, now) if pool else None
    if claims is None or ctx().store.is_revoked(claims.get("origin_jti")) or "username" not in claims:
        return _userinfo_error(401, errors.USERINFO_INVALID_TOKEN)
    if "openid" not in claims.get("scope", "").split() and "aws.cognito.signin.user.admin" not in claims.get("scope", "").split():
        return _userinfo_error(400, errors.USERINFO_BAD_REQUEST)   # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints "with openid scope"
    user = moto_adapter.find_user(pool.account_id, pool.region, pool.id, claims["username"])
    if user is None or not user.get("enabled", True):
        return _userinfo_error(401, errors.USERINFO_INVALID_TOKEN)
    client = ctx().client(pool, claims.get("client_id"))
    readable = client.read_attributes if client else None
    body = {"sub": user["sub"]}
    for name, value in user["attributes"].items():
        if name == "sub" or (readable is not None and name not in readable and name != "identities"):
            continue
        body[name] = value   # strings, e.g. "email_verified": "false" (docs/fidelity/alb.md#alb-x-amzn-oidc-data-payload)
    body["username"] = user["username"]
    return jsonify(body)


# ---- /oauth2/revoke (docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-revoke) ---------------------------------------------------------

@bp.route("/oauth2/revoke", methods=["POST"])
def revoke():
    pool = _pool()
    client = authenticate_client(pool)
    token = request.form.get("token")
    if not token:
        raise errors.TokenError(errors.INVALID_REQUEST)
    if not client.token_revocation:
        raise errors.TokenError("unsupported_token_type")   # RFC 7009 §2.2.1; unconfirmed for Cognito
    grant = ctx().store.refresh_grant(token)
    if grant is not None and grant.client_id != client.client_id:
        raise errors.TokenError(errors.INVALID_REQUEST)   # unconfirmed code for another client's token
    ctx().store.revoke(token)   # unknown tokens: 200 as RFC 7009 §2.2
    return Response("", status=200)


__all__ = ["bp", "authenticate_client", "Grant"]
