"""A provider's AttributeMapping applied as Cognito applies it (docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping).

Protocol logic only: takes the pool's schema, the provider record, what the IdP sent
(``{name: [values]}``) and the user's current attributes; returns the attributes to write, or
raises :class:`MappingError` with Cognito's description (without the SAML prefix, which the
caller adds for SAML providers).
"""
from __future__ import annotations

from urllib.parse import quote

from . import errors
from .config import PoolView, provider_type

MAX_VALUE = 2048   # docs/fidelity/cognito-federation.md#cognito-federation-value-length


class MappingError(Exception):
    def __init__(self, description: str, prefixed: bool = True, attribute: str | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.prefixed = prefixed    # False: the text is reported with its own prefix (or none)
        self.attribute = attribute  # the pool attribute the failure is about (None: the username)


def stored_value(values: list[str]) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-multi-valued-saml-attribute, docs/fidelity/cognito-federation.md#cognito-federation-multi-value-encoding: one value as it is; several
    as ``[v1, v2]`` with each value URL-form-encoded except ``.-*_``; none as ``[]``."""
    if len(values) == 1:
        return values[0]
    return "[" + ", ".join(quote(v, safe=".-*_").replace("%20", "+") for v in values) + "]"


def username_mapping_refused(kind: str) -> bool:
    """docs/fidelity/cognito-federation.md#cognito-federation-mapping-to-username-saml: a SAML provider may not map onto ``username``; an OIDC
    provider's ``username`` mapping (AWS's default ``username: sub``) is ignored (docs/fidelity/cognito-federation.md#cognito-federation-sub-to-username). Shared with ``harness diagnose``."""
    return kind == "SAML"


def apply(pool: PoolView, provider: dict, received: dict[str, list[str]], current: dict[str, str] | None,
          writable: list[str] | None = None) -> dict[str, str]:
    """The mapped attributes to store (every mapped attribute present, rewritten each sign-in)."""
    mapping = provider.get("AttributeMapping") or {}
    is_saml = provider_type(provider) == "SAML"
    first = current is None
    out: dict[str, str] = {}
    for target, source in mapping.items():
        if target == "username":
            if username_mapping_refused(provider_type(provider)):   # text carries its own prefix
                raise MappingError(errors.USERNAME_NOT_IN_SCHEMA, prefixed=False, attribute=target)
            continue      # docs/fidelity/cognito-federation.md#cognito-federation-sub-to-username: OIDC's username is always <Provider>_<sub>
        if target not in pool.schema:
            if target.startswith("custom:"):
                raise MappingError(errors.custom_type_unknown(target), attribute=target)   # docs/fidelity/cognito-federation.md#cognito-federation-custom-attribute-missing-from-schema
            continue      # unknown standard names: Cognito's behaviour unconfirmed; ignored
        if source not in received:
            continue      # docs/fidelity/cognito-federation.md#cognito-federation-absent-optional-claim: left as it was
        values = [v for v in received[source] if v is not None]
        value = stored_value([str(v) for v in values])
        if len(value) > MAX_VALUE:
            raise MappingError(errors.value_too_long(target), attribute=target)            # docs/fidelity/cognito-federation.md#cognito-federation-value-length
        # A character beyond U+FFFF (4 bytes in UTF-8) is one above "\uffff": max() finds it in
        # C, where a generator over the characters cost ~1 us per 10 characters.
        if is_saml and not value.isascii() and max(value) > "\uffff":
            raise MappingError(errors.FOUR_BYTE_UTF8.format(attr=target), prefixed=False, attribute=target)  # docs/fidelity/cognito-federation.md#cognito-federation-saml row
        attribute = pool.schema[target]
        if not first and not attribute.mutable:
            # docs/fidelity/cognito-federation.md#cognito-federation-immutable-mapped-attribute: the second sign-in fails even with the same value.
            raise MappingError(errors.attribute_cannot_be_updated(target), prefixed=False,
                               attribute=target)
        if writable is not None and target not in writable:
            # docs/fidelity/cognito-federation.md#cognito-federation-app-client-not-allowed-to-write-attribute: text unconfirmed (same family).
            raise MappingError(errors.attribute_cannot_be_updated(target), prefixed=False,
                               attribute=target)
        out[target] = value
    for name, attribute in pool.schema.items():
        if not attribute.required or name == "sub":
            continue
        if first and not out.get(name):
            raise MappingError(errors.attribute_required(name), attribute=name)             # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping "Required … first"
        if not first and not out.get(name):
            raise MappingError(errors.required_attribute_deleted(name), attribute=name)      # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping "Required … later"
    return out

