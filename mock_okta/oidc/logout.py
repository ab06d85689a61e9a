"""``/v1/logout`` (docs/fidelity/okta-oidc-api.md#okta-oidc-api-logout): ``id_token_hint``, ``post_logout_redirect_uri``
(must be a registered Logout redirect URI of the app the hint was issued to), ``state``."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from . import clients, errors, tokens


@dataclass
class LogoutRequest:
    subject: str            # the user id of the hint
    target: str             # where the browser goes after the session ends


def validate(provider, server, params) -> LogoutRequest:
    """The checked request, or an :class:`errors.OAuthError` for Okta's error page."""
    hint = params.get("id_token_hint")
    claims = tokens.read_id_token_hint(hint, server, provider.keyring(server)) if hint else None
    app = clients.find(provider.org, claims.get("aud")) if claims else None
    if claims is None or app is None:
        # OK-OAUTHERR id_token_invalid; the text for a missing hint is unconfirmed.
        raise errors.InvalidToken("The id token is invalid.")
    target = params.get("post_logout_redirect_uri")
    if target is None:
        # Without a post-logout URI Okta ends on its own sign-in page (unconfirmed).
        return LogoutRequest(claims.get("sub"), f"{provider.org_url}/login/login.htm")
    if target not in app.oidc.post_logout_redirect_uris:
        raise errors.illegal_post_logout_redirect_uri()
    state = params.get("state")
    if state is not None:
        target += ("&" if "?" in target else "?") + urlencode({"state": state})
    return LogoutRequest(claims.get("sub"), target)
