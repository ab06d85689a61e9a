"""AdminLinkProviderForUser and AdminDisableProviderForUser (moto has neither), and the lookup a
federated sign-in makes before creating ``{Provider}_{subject}``.

A link says: a sign-in through ``ProviderName`` whose ``ProviderAttributeName`` (``Cognito_Subject``
= the SAML NameID or OIDC ``sub``; for SAML any attribute name) has ``ProviderAttributeValue``
signs in as the destination (native) user. The destination's ``identities`` attribute lists the
linked identity (docs/fidelity/cognito-triggers.md#cognito-triggers-link-provider). Links live in
:mod:`mock_cognito.moto_adapter`, beside the users.
"""
from __future__ import annotations

from . import json_responses, moto_adapter

SUBJECT = "Cognito_Subject"
# docs/fidelity/cognito-triggers.md#cognito-triggers-link-merging
MERGING = "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link"


def admin_link_provider_for_user(call, start_response, api):
    body = call.body
    pool_id = str(body.get("UserPoolId", ""))
    pool = moto_adapter.pool_view(api.aws.account_id, api.aws.region, pool_id)
    if pool is None:
        return json_responses.error(start_response, "ResourceNotFoundException", f"User pool {pool_id} does not exist.")
    destination, source = _mapping(body.get("DestinationUser")), _mapping(body.get("SourceUser"))
    provider = pool.provider(source.get("ProviderName"))
    if destination.get("ProviderName") != "Cognito" or provider is None or not source.get("ProviderAttributeValue"):
        return json_responses.error(start_response, "InvalidParameterException",
                         "DestinationUser must be a Cognito user and SourceUser a provider of the pool.")
    user = moto_adapter.find_user(pool.account_id, pool.region, pool_id, destination.get("ProviderAttributeValue", ""))
    if user is None:
        return json_responses.error(start_response, "UserNotFoundException", "User does not exist.")
    name, value = provider["ProviderName"], source["ProviderAttributeValue"]
    federated = f"{name}_{value}" if pool.case_sensitive else f"{name}_{value}".lower()
    if moto_adapter.find_user(pool.account_id, pool.region, pool_id, federated) is not None:
        return json_responses.error(start_response, "InvalidParameterException", MERGING)
    attribute = source.get("ProviderAttributeName") or SUBJECT
    identity = {"userId": value, "providerName": name, "providerType": provider.get("ProviderType"),
                "issuer": None, "primary": False, "dateCreated": int(api.services.clock.time() * 1000)}
    moto_adapter.add_link(pool.account_id, pool.region, pool_id, (name, attribute, value), user["username"], identity)
    return json_responses.answer(start_response, "200 OK", b"{}")


def admin_disable_provider_for_user(call, start_response, api):
    body = call.body
    pool_id = str(body.get("UserPoolId", ""))
    if moto_adapter.user_pool(api.aws.account_id, api.aws.region, pool_id) is None:
        return json_responses.error(start_response, "ResourceNotFoundException", f"User pool {pool_id} does not exist.")
    user = _mapping(body.get("User"))
    key = (user.get("ProviderName", ""), user.get("ProviderAttributeName") or SUBJECT,
           user.get("ProviderAttributeValue", ""))
    moto_adapter.remove_link(api.aws.account_id, api.aws.region, pool_id, key)
    return json_responses.answer(start_response, "200 OK", b"{}")


def _mapping(value) -> dict:
    """A ProviderUserIdentifierType from the request, its values as strings (anything else: empty)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)}


def linked_user(pool, provider_name: str, subject: str, attributes: dict[str, list[str]]) -> str | None:
    """The username a federated sign-in is linked to, if any."""
    for (name, attribute, value), username in moto_adapter.links(pool.account_id, pool.region, pool.id).items():
        if name != provider_name:
            continue
        seen = [subject] if attribute == SUBJECT else list(attributes.get(attribute) or [])
        if value in seen:
            return username
    return None

