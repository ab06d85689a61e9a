"""Cognito as the client of an OpenID Connect identity provider (docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/errors.md#errors-cognito).

Seams: ``State`` (its per-app state, made with each pool-domain app), ``bp`` (registered on each pool-domain app; serves ``GET /oauth2/idpresponse``) and
``start(pool, client, provider, auth_request)`` (called by ``/oauth2/authorize`` for a provider of
type ``OIDC``). A validated sign-in ends in ``mock_cognito.federation.finish_sign_in``.

Modules: ``provider_config`` (ProviderDetails, discovery), ``token_exchange`` (code for tokens,
client_secret_post), ``id_token`` (signature, iss, aud, exp, nonce), ``userinfo``, ``pending``
(Cognito's state and nonce), ``errors`` (texts), ``views`` (Flask glue).
"""
from .views import State, bp, start

__all__ = ["State", "bp", "start"]
