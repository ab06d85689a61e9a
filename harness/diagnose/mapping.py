"""AttributeMapping checks shared by SAML and OIDC providers (docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping): what
mock_cognito.attribute_mapping refuses, unmapped required attributes, claims never sent."""
from __future__ import annotations

from harness import diagnose_rules as texts
from mock_cognito.attribute_mapping import username_mapping_refused

from .findings import Finding, Probe, Setting, setting

STANDARD_ATTRIBUTES = {"address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
                       "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
                       "picture", "preferred_username", "profile", "zoneinfo", "updated_at", "website"}


def _schema(pool):
    return {(a.Name if a.Name in STANDARD_ATTRIBUTES or a.Name.startswith("custom:") else f"custom:{a.Name}"): a
            for a in pool.Schema}


def check_mapping(app, pool, provider, out, sent=None):
    mapping = provider.AttributeMapping
    if sent is None:
        sent = {s.name for s in app.saml.attribute_statements}
    schema = _schema(pool)
    link = dict(app=app.label if app else None, pool=pool.PoolName, provider=provider.ProviderName)

    def sign_in(*expect, twice=False):
        return Probe("authorize", expect, twice=twice, **link)

    for attr, claim in mapping.items():
        here = setting(provider, "AttributeMapping", f"AttributeMapping {attr}", attr)
        if attr == "username":
            if not username_mapping_refused(provider.ProviderType):
                continue   # OIDC: AWS's own default mapping username = sub
            out.append(Finding("mapping-username", "error", f"IdP {provider.ProviderName!r} maps onto username",
                               [here], texts.USERNAME_MAPPED, "map onto preferred_username instead",
                               "docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-mapping-to-non-existent-reserved-attributes").expecting(sign_in(texts.USERNAME_MAPPED)))
            continue
        if attr not in STANDARD_ATTRIBUTES and attr not in schema:
            out.append(Finding("mapping-undefined", "error", f"IdP {provider.ProviderName!r} maps onto {attr}, "
                               f"which user pool {pool.PoolName!r} does not define", [here],
                               texts.attribute_type_unknown(attr),
                               f"add {attr} to the pool's Schema or remove the mapping", "docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-mapping-to-non-existent-reserved-attributes"
                               ).expecting(sign_in(texts.attribute_type_unknown(attr))))
            continue
        spec = schema.get(attr)
        if spec is not None and spec.Mutable is False:
            out.append(Finding("mapping-immutable", "error", f"IdP {provider.ProviderName!r} maps onto {attr}, "
                               "which is immutable: the first sign-in works, every later one fails",
                               [here, Setting(f"Schema {attr} Mutable", False, spec.where("Mutable"))],
                               texts.attribute_immutable(attr),
                               f"make {attr} Mutable (a new pool: Mutable cannot be changed) or drop the mapping",
                               "docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-mapping-onto-an-immutable-attribute").expecting(sign_in(texts.attribute_immutable(attr), twice=True)))
        if sent is not False and claim not in sent and attr != "email_verified":
            required = spec is not None and spec.Required
            names = sorted(sent) or ["(none)"]
            finding = Finding(
                "mapping-claim", "error" if required else "warning",
                f"AttributeMapping {attr} reads {claim!r}, which Okta app {app.label!r} does not send "
                f"(it sends {', '.join(names)})",
                [here, Setting("Okta attribute statements", names, app.saml.where("attribute_statements"))],
                texts.attribute_required(attr) if required else f"{attr} stays empty after sign-in",
                f"name the Okta attribute statement {claim!r} or map {attr} to one that is sent",
                "docs/fidelity/cognito-federation.md#cognito-federation-okta-saml-idp, docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-required-pool-attribute-not-sent-or")
            if required:
                finding.expecting(sign_in(texts.attribute_required(attr)))
            else:
                finding.unprobed = "a sign-in succeeds; the attribute is only left empty"
            out.append(finding)
    for attr, spec in schema.items():
        if spec.Required and attr not in mapping:
            out.append(Finding("required-unmapped", "error", f"user pool {pool.PoolName!r} requires {attr}, "
                               f"which IdP {provider.ProviderName!r} does not map",
                               [Setting(f"Schema {attr} Required", True, spec.where("Required")),
                                setting(provider, "AttributeMapping")],
                               texts.attribute_required(attr), f"map {attr} from an attribute the IdP sends",
                               "docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-required-pool-attribute-not-sent-or").expecting(sign_in(texts.attribute_required(attr))))
