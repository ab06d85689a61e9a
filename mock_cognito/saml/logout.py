"""SAML single logout as Cognito does it (docs/fidelity/cognito-federation.md#cognito-federation-single-logout-slo: a LogoutRequest
over HTTP-Redirect, always signed with the pool's signing key; the IdP answers with a
LogoutResponse by HTTP POST to ``/saml2/logout``)."""
from __future__ import annotations

from world_common.clock import saml_instant
from world_common.saml_xml import NS, SUCCESS, UnsafeXML, parse, q

from . import redirect_binding
from .signing_certificate import signing_key


class LogoutError(ValueError):
    pass


def redirect_url(*, request_id: str, pool_id: str, destination: str, name_id: str, session_index: str | None,
                 relay_state: str, now) -> str:
    # lazy: pysaml2 costs ~10 ms at every world start, and only single logout uses it
    from saml2.saml import Issuer, NameID
    from saml2.samlp import LogoutRequest, SessionIndex

    request = LogoutRequest(id=request_id, version="2.0", issue_instant=saml_instant(now), destination=destination,
                            issuer=Issuer(text=f"urn:amazon:cognito:sp:{pool_id}"), name_id=NameID(text=name_id),
                            session_index=SessionIndex(text=session_index) if session_index else None)
    # docs/fidelity/cognito-federation.md#cognito-federation-signing-scope: "Your user pool signs all single logout (SLO) requests".
    return redirect_binding.url(destination, "SAMLRequest", request.to_string(), relay_state, signing_key(pool_id))


def check_response(xml: bytes, request_id: str) -> None:
    try:
        root = parse(xml)
    except UnsafeXML as exc:
        raise LogoutError(str(exc)) from None
    if root.tag != q("samlp", "LogoutResponse") or root.get("InResponseTo") != request_id:
        raise LogoutError("not the LogoutResponse to our request")
    status = root.find("samlp:Status/samlp:StatusCode", NS)
    if status is None or status.get("Value") != SUCCESS:
        raise LogoutError("logout did not succeed")
