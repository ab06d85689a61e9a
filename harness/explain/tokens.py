"""JWTs in a capture: token responses (decoded), and a bare JWT checked against the
configuration. An IdP's ID token is checked as Cognito checks it for an OIDC provider whose
``client_id`` is its audience (:func:`mock_cognito.oidc_federation.id_token.check_claims`:
iss, aud, exp); a Cognito token is matched to its pool and app client; an ALB
``x-amzn-oidc-data`` token is decoded."""
from __future__ import annotations

from mock_cognito.oidc_federation import errors as federation_errors
from mock_cognito.oidc_federation.id_token import check_claims
from mock_cognito.oidc_federation.provider_config import Provider

from . import messages
from .steps import Step
from .world_side import setting


def token_response(exchange) -> Step | None:
    body = messages.json_body(exchange)
    if not isinstance(body, dict) or not any(k in body for k in ("id_token", "access_token")):
        return None
    step = Step(exchange.index, f"token response from {exchange.host}", exchange.host, "the app", outcome="info")
    for name in ("id_token", "access_token"):
        decoded = messages.jwt_summary(body.get(name) or "", name)
        if decoded:
            step.jwts.append(decoded)
    return step


def bare_jwt(ws, token: str, moment) -> Step:
    decoded = messages.jwt_summary(token, "JWT")
    claims = decoded["claims"]
    step = Step(0, "a JWT", str(claims.get("iss", "")), str(claims.get("aud", "")), jwts=[decoded],
                facts={k: claims.get(k) for k in ("iss", "aud", "client_id", "token_use", "exp", "email")
                       if k in claims})
    issuer = claims.get("iss") or decoded["header"].get("iss")   # an ALB's header carries it too
    pool = next((p for p in ws.pools() if issuer == ws.pool_view(p).issuer), None)
    if "signer" in decoded["header"]:   # an ALB's x-amzn-oidc-data: the user's claims, signed by the ALB
        step.what = f"an ALB's x-amzn-oidc-data (signer {decoded['header']['signer']})"
        step.outcome = "ok" if pool is not None else "unknown"
        if pool is None:
            step.notes.append("its iss is no user pool of the configuration")
        return step
    if pool is not None:
        return _cognito_token(ws, step, pool, claims, moment)
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    for pool in ws.pools():
        for record in pool.IdentityProviders:
            details = record.ProviderDetails
            if record.ProviderType == "OIDC" and details.get("client_id") in audiences:
                return _idp_token(ws, step, pool, record, claims, moment)
    step.outcome = "unknown"
    step.notes.append("no user pool or OIDC provider of the configuration issued or accepts this token")
    return step


def _idp_token(ws, step, pool, record, claims, moment) -> Step:
    details = record.ProviderDetails
    provider = Provider(name=record.ProviderName, client_id=details.get("client_id", ""),
                        client_secret=details.get("client_secret", ""),
                        authorize_scopes=details.get("authorize_scopes", ""),
                        attributes_request_method=details.get("attributes_request_method", "GET"),
                        oidc_issuer=details.get("oidc_issuer", ""), authorize_url="", token_url="",
                        attributes_url="", jwks_uri="")
    step.what = f"an ID token for Cognito's OIDC provider {record.ProviderName!r}"
    try:
        check_claims(claims, provider, claims.get("nonce"), moment.timestamp())
    except federation_errors.FederationError as exc:
        step.outcome, step.error, step.code, step.shown_at = "fails", exc.description, "invalid_request", "callback"
        step.check = "cognito-oidc-id-token"
        path = f"{ws.provider_path(pool, record)}.ProviderDetails"
        key = "oidc_issuer" if "issuer" in exc.description else "client_id"
        step.settings = [setting(f"{path}.{key}", record, "ProviderDetails", key=key)]
        step.fix = (f"set oidc_issuer to {claims.get('iss')} exactly" if key == "oidc_issuer"
                    else "the token's aud must be the provider's client_id")
        return step
    step.outcome = "ok"
    step.notes.append("Cognito accepts these claims (iss, aud, exp); the signature is checked against the IdP's "
                      "JWKS only at sign-in")
    return step


def _cognito_token(ws, step, pool, claims, moment) -> Step:
    step.what = f"a token of user pool {pool.PoolName!r}"
    client_id = claims.get("aud") or claims.get("client_id")
    client = ws.client_record(pool, client_id)
    if client is None:
        step.outcome, step.check = "fails", "cognito-token-client"
        step.error = f"the token's client {client_id} is not an app client of {pool.PoolName}"
        step.settings = [setting(f"{ws.pool_path(pool)}.Clients", pool, "Clients",
                                 [c.ClientName for c in pool.Clients])]
        return step
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and exp <= moment.timestamp():
        step.outcome, step.error, step.check = "fails", f"the token expired at {exp}", "cognito-token-expiry"
        step.settings = [setting(f"{ws.client_path(pool, client)}.IdTokenValidity", client, "IdTokenValidity")]
        return step
    step.outcome = "ok"
    return step
