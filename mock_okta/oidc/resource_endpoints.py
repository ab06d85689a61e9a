"""``/v1/userinfo``, ``/v1/introspect``, ``/v1/revoke`` (docs/fidelity/okta-oidc-api.md#okta-oidc-api-userinfo,
"/introspect", "/revoke", "Error body")."""
from __future__ import annotations

from . import claims as user_claims
from . import clients, errors, tokens

_USERINFO_SCOPES = ("profile", "email", "address", "phone")


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


def _access_claims(provider, server, token: str) -> dict:
    return tokens.read_access_token(token, server, provider.keyring(server), provider.clock.time(),
                                    provider.store.is_revoked)


def userinfo(provider, server, token: str | None) -> dict:
    """The claims about the token's user; :class:`errors.InvalidToken` or
    :class:`errors.InsufficientScope` otherwise."""
    if not token:
        raise errors.InvalidToken()
    try:
        access = _access_claims(provider, server, token)
    except tokens.TokenRejected:
        raise errors.InvalidToken() from None
    scopes = access.get("scp") or []
    if not any(s in scopes for s in _USERINFO_SCOPES):
        raise errors.InsufficientScope()
    user = provider.org.user_by_id(access.get("uid"))
    app = provider.org.app_by_client_id(access.get("cid"))
    if user is None or app is None:
        raise errors.InvalidToken()
    body = {"sub": user.id}
    body.update(user_claims.user_claims(scopes, user, app, provider.profiles_updated_at))
    return body


def introspect(provider, server, authorization, form, query) -> dict:
    app = clients.authenticate(provider.org, authorization, form, query)
    token = form.get("token")
    if not token:
        raise errors.missing_token()
    hint = form.get("token_type_hint")
    if hint != "refresh_token":
        try:
            access = _access_claims(provider, server, token)
        except tokens.TokenRejected:
            access = None
        if access is not None:
            if access.get("cid") != app.oidc.client_id:
                # A token issued to another client is not disclosed (unconfirmed).
                return {"active": False}
            return {"active": True, "token_type": "Bearer", "scope": " ".join(access.get("scp") or []),
                    "client_id": access["cid"], "username": access["sub"], "exp": access["exp"],
                    "iat": access["iat"], "sub": access["sub"], "aud": access["aud"], "iss": access["iss"],
                    "jti": access["jti"], "uid": access["uid"]}
    refresh = provider.store.refresh_token(token, provider.clock.time())
    if refresh is not None and refresh.grant.client_id == app.oidc.client_id and refresh.grant.server_key == server.key:
        user = provider.org.user_by_id(refresh.grant.user_id)
        # Fields of an active refresh token mirror the access-token answer (unconfirmed).
        return {"active": True, "token_type": "refresh_token", "scope": " ".join(refresh.grant.scopes),
                "client_id": refresh.grant.client_id, "username": user.login if user else None,
                "exp": int(refresh.expires_at), "sub": user.login if user else None, "iss": server.issuer,
                "uid": refresh.grant.user_id}
    return {"active": False}


def revoke(provider, server, authorization, form, query) -> None:
    """Revokes the token if this client owns it; answers the same either way (no information leak)."""
    app = clients.authenticate(provider.org, authorization, form, query)
    token = form.get("token")
    if not token:
        raise errors.missing_token()
    refresh = provider.store.refresh_tokens.get(token)
    if refresh is not None:
        if refresh.grant.client_id == app.oidc.client_id:
            provider.store.revoke_refresh_token(token)
        return
    try:
        access = _access_claims(provider, server, token)
    except tokens.TokenRejected:
        return
    if access.get("cid") == app.oidc.client_id:
        provider.store.revoke_jti(access["jti"])
