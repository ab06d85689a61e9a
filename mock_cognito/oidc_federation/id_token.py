"""Validating the IdP's ID token (docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements, docs/fidelity/cognito-federation.md#cognito-federation-id-token-iss-check,
"id_token signature (HMAC)", "id_token aud, exp checks", "Nonce handling").

* signature: RSA/ECDSA keys from ``jwks_uri`` picked by ``kid`` (oic's ``KeyBundle``; an unknown
  ``kid`` refetches the JWKS once, as keys rotate), or HMAC with the ``client_secret``;
  ``alg: none`` is refused;
* ``iss`` exactly equal to ``oidc_issuer`` (no normalisation: a trailing slash or a path differs);
* ``aud`` contains the ``client_id``; ``exp`` after the world's clock; ``nonce`` = Cognito's.
"""
from __future__ import annotations

import json
import threading

import requests
from jwkest import JWKESTException
from jwkest.jwk import SYMKey
from jwkest.jws import JWS
from jwkest.jwt import JWT
from oic.oauth2.message import MessageException
from oic.oic.message import IdToken
from oic.utils.keyio import KeyBundle

from mock_cognito import errors as texts

from . import errors, idp_http
from .provider_config import Provider

HMAC_ALGS = ("HS256", "HS384", "HS512")
# docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements: "ID tokens signed with HMAC-SHA, ECDSA or RSA".
ASYMMETRIC_ALGS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")


class KeySets:
    """JWKS by URI, parsed once into oic key bundles."""

    def __init__(self) -> None:
        self._bundles: dict[str, KeyBundle] = {}
        self._lock = threading.Lock()

    def keys(self, provider: Provider, session, refresh: bool = False) -> list:
        with self._lock:
            bundle = None if refresh else self._bundles.get(provider.jwks_uri)
        if bundle is None:
            bundle = self._fetch(provider, session)
            with self._lock:
                self._bundles[provider.jwks_uri] = bundle
        return bundle.keys()

    @staticmethod
    def _fetch(provider: Provider, session) -> KeyBundle:
        try:
            response = session.get(provider.jwks_uri, timeout=idp_http.TIMEOUT, allow_redirects=False)
        except requests.Timeout as exc:
            # docs/fidelity/cognito-federation.md#cognito-federation-jwks-fetch-timeout [doc] AUTHZ.
            raise errors.FederationError(texts.JWKS_TIMEOUT) from exc
        except requests.RequestException as exc:
            raise errors.FederationError(texts.CONNECTION_RESET) from exc
        body = idp_http.json_or_none(response)
        if response.status_code != 200 or body is None or not isinstance(body.get("keys"), list):
            # docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error: relayed from the JWKS too.
            raise idp_http.relay_error(provider.name, response, body)
        bundle = KeyBundle()
        try:
            bundle.do_keys([k for k in body["keys"] if isinstance(k, dict)])
        except (JWKESTException, ValueError, KeyError, TypeError) as exc:
            raise errors.FederationError(texts.OIDC_BAD_JWKS.format(
                provider=provider.name, status=response.status_code)) from exc
        return bundle


def validate(token: str, provider: Provider, nonce: str, now: float, key_sets: KeySets, session) -> dict:
    """The ID token's claims, or :class:`errors.FederationError` with Cognito's text."""
    try:
        header = JWT().unpack(token).headers
    except Exception:   # jwkest raises a variety of types for a malformed compact JWS
        raise errors.FederationError(texts.OIDC_MALFORMED) from None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise errors.FederationError(texts.OIDC_UNSIGNED)
    payload = _verify_signature(token, alg, header.get("kid"), provider, key_sets, session)
    try:
        if isinstance(payload, (bytes, str)):   # jwkest hands JSON payloads over already parsed
            payload = json.loads(payload)
        claims = IdToken().from_dict(payload).to_dict()
    except (MessageException, ValueError, TypeError, AttributeError):
        raise errors.FederationError(texts.OIDC_MALFORMED) from None
    check_claims(claims, provider, nonce, now)
    return claims


def _verify_signature(token, alg, kid, provider, key_sets, session):
    if alg in HMAC_ALGS:
        # docs/fidelity/cognito-federation.md#cognito-federation-id-token-signature-hmac: verified with the configured client_secret.
        try:
            return JWS(alg=alg).verify_compact(token, [SYMKey(key=provider.client_secret, alg=alg)])
        except Exception:   # BadSignature, bad key material, malformed segments alike
            raise errors.FederationError(texts.SYMMETRIC_MAC) from None
    if alg not in ASYMMETRIC_ALGS:
        raise errors.FederationError(texts.OIDC_BAD_SIGNATURE)
    # docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements: the IdP "includes kid in tokens".
    if not isinstance(kid, str):
        raise errors.FederationError(texts.OIDC_UNKNOWN_KID.format(kid=kid))
    for refresh in (False, True):
        keys = [k for k in key_sets.keys(provider, session, refresh=refresh) if k.kid == kid]
        if keys:
            break
    else:
        raise errors.FederationError(texts.OIDC_UNKNOWN_KID.format(kid=kid))
    try:
        return JWS(alg=alg).verify_compact(token, keys)
    except Exception:   # BadSignature, NoSuitableSigningKeys, SignerAlgError, malformed segments
        raise errors.FederationError(texts.OIDC_BAD_SIGNATURE) from None


def check_claims(claims: dict, provider: Provider, nonce: str, now: float) -> None:
    """iss, aud, exp, nonce of an IdP's ID token, in that order (raises the FederationError)."""
    iss = claims.get("iss")
    if iss != provider.oidc_issuer:
        raise errors.bad_issuer(iss)
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if provider.client_id not in audiences:
        raise errors.bad_audience(aud if not isinstance(aud, list) else " ".join(map(str, aud)))
    exp = claims.get("exp")
    # Clock skew allowed by Cognito is unpublished (unconfirmed): none here.
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or exp <= now:
        raise errors.expired_token(exp)
    if claims.get("nonce") != nonce:
        raise errors.bad_nonce()

