"""The attribute-mapping chain of one sign-in, link by link:

    Okta profile value -> Okta attribute statement (or OIDC claim) -> SAML Attribute / claim sent
    -> Cognito AttributeMapping entry -> user pool attribute stored -> token claim

with the first broken link of each row marked, so "email: The attribute is required" points at
the Okta statement and the Cognito mapping entry that disagree.
"""
from __future__ import annotations

import difflib
import re

# Okta's OIDC claims come from the profile by scope (docs/fidelity/okta-oidc-api.md#okta-oidc-api-scope-dependent-claims,
# which confirms preferred_username = login). Which profile attribute fills each other claim is
# not in the reference (unconfirmed): Okta's base profile names (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api) by meaning. Used
# only to show the profile value beside a claim in the report.
OIDC_CLAIM_FROM_PROFILE = {
    "email": "email", "given_name": "firstName", "family_name": "lastName", "name": "displayName",
    "preferred_username": "login", "locale": "locale", "zoneinfo": "timezone", "nickname": "nickName",
    "middle_name": "middleName", "phone_number": "mobilePhone", "profile": "profileUrl",
}
_USER_EXPR = re.compile(r"^\s*user\.(\w+)\s*$")


def _profile_value(expression: str, profile: dict):
    m = _USER_EXPR.match(expression or "")
    if not m:
        return None, False
    return profile.get(m.group(1)), True


def _last_segment(name: str) -> str:
    return re.split(r"[/:#]", name.rstrip("/"))[-1].lower()


def _closest_statement(target: str, pool_attr: str, statements: list, consumed: set):
    """The Okta statement a mapping entry most likely meant: same last segment, or the one whose
    expression reads the profile attribute that fills ``pool_attr``, or the closest name."""
    candidates = [s for s in statements if s["name"] not in consumed] or statements
    if not candidates:
        return None
    segment = _last_segment(target)
    for s in candidates:
        if _last_segment(s["name"]) in (segment, pool_attr.lower()):
            return s
    profile_attr = OIDC_CLAIM_FROM_PROFILE.get(pool_attr)
    for s in candidates:
        if profile_attr and any(f"user.{profile_attr}" == v.strip() for v in s["values"]):
            return s
    names = [s["name"] for s in candidates]
    best = difflib.get_close_matches(target, names, n=1, cutoff=0.3)
    return next((s for s in candidates if best and s["name"] == best[0]), None)


def saml_statements(okta_app, user_profile: dict) -> list[dict]:
    out = []
    for i, st in enumerate(okta_app.saml.attribute_statements if okta_app and okta_app.saml else []):
        values = list(st.values or [])
        shown = []
        for v in values:
            value, known = _profile_value(v, user_profile)
            shown.append(value if known else None)
        out.append({
            "name": st.name, "type": st.type, "values": values, "profile_values": shown,
            "path": f"okta.apps[label={okta_app.label}].saml.attribute_statements[{i}]",
            # a changed world is re-serialised: its line numbers would mislead, its path does not
            "where": st.where() if "(changed by" not in st.loc()[0] else st.loc()[0],
        })
    return out


def build(*, flow: str, okta_app, provider, pool_path: str, user_profile: dict, sent: dict | None,
          stored: dict | None, id_claims: dict | None) -> dict:
    """Rows of the chain, one per mapping entry, plus Okta statements no mapping reads."""
    mapping = dict(provider.AttributeMapping or {}) if provider is not None else {}
    provider_path = f"{pool_path}.IdentityProviders[ProviderName={provider.ProviderName}]" if provider else ""
    is_saml = flow.startswith("saml")
    statements = saml_statements(okta_app, user_profile) if is_saml else []
    by_name = {s["name"]: s for s in statements}
    consumed = {v for v in mapping.values()}
    rows = []
    for pool_attr, source in mapping.items():
        row = {"pool_attribute": pool_attr, "source": source,
               "mapping": f"{pool_attr} \u2190 {source}",
               "mapping_path": f"{provider_path}.AttributeMapping.{pool_attr}",
               "mapping_where": provider.where("AttributeMapping") if provider is not None else None,
               "broken": None, "reason": None}
        if is_saml:
            statement = by_name.get(source)
            row["statement"] = statement
            row["okta_profile"] = (statement["profile_values"][0] if statement and statement["profile_values"]
                                   else None)
            if statement is None:
                suspect = _closest_statement(source, pool_attr, statements, consumed)
                row["suspect"] = suspect
                if suspect is not None:
                    row["okta_profile"] = suspect["profile_values"][0] if suspect["profile_values"] else None
                    row["suspect_sent"] = (sent or {}).get(suspect["name"])
        else:
            profile_attr = OIDC_CLAIM_FROM_PROFILE.get(source)
            row["statement"] = None
            row["okta_profile"] = user_profile.get(profile_attr) if profile_attr else None
            row["okta_claim"] = source
        sent_values = (sent or {}).get(source)
        row["sent"] = sent_values
        row["stored"] = (stored or {}).get(pool_attr)
        row["token_claim"] = (id_claims or {}).get(pool_attr)
        row["broken"], row["reason"] = _first_break(row, is_saml, sent is not None, stored is not None)
        rows.append(row)
    unread = [s for s in statements if s["name"] not in consumed and s["type"] != "GROUP"]
    return {"flow": flow, "rows": rows, "unread_statements": unread,
            "provider": provider.ProviderName if provider is not None else None}


def _first_break(row, is_saml, have_sent, have_stored):
    source = row["source"]
    if is_saml and row["statement"] is None:
        suspect = row.get("suspect")
        hint = (f"; the closest Okta statement is named {suspect['name']!r} ({suspect['path']})"
                if suspect else "")
        return "statement", (f"no Okta attribute statement is named {source!r}, the name the Cognito "
                             f"mapping entry {row['mapping']!r} reads{hint}")
    if have_sent and row["sent"] in (None, [], [""]):
        where = "statement" if is_saml else "claim"
        return ("sent" if is_saml else "claim"), (
            f"the {'assertion' if is_saml else 'Okta token/userinfo'} carries no {source!r} "
            f"({where} value is empty or missing)")
    if have_stored and row["stored"] is None and have_sent and row["sent"]:
        return "stored", f"Cognito did not store {row['pool_attribute']!r} on the user"
    return None, None


def broken_rows(table: dict) -> list[dict]:
    return [r for r in table.get("rows", []) if r.get("broken")]


def describe_break(row: dict, saml_message: dict | None = None) -> str:
    lines = [f"Cognito AttributeMapping entry {row['mapping']!r} ({row['mapping_path']}) "
             f"and the Okta side disagree: {row['reason']}."]
    suspect = row.get("suspect")
    if suspect:
        lines.append(f"Okta attribute statement {suspect['name']!r} = {', '.join(suspect['values'])} "
                     f"({suspect['path']}, {suspect['where']})")
    if saml_message and saml_message.get("attribute_statement_xml"):
        lines.append("The assertion's AttributeStatement:\n" + saml_message["attribute_statement_xml"].rstrip())
    return "\n".join(lines)


def trigger_claims(hops) -> list[dict]:
    """Token claims a pre token generation trigger set, from its Invoke call in the trace
    (docs/fidelity/cognito-triggers.md#cognito-triggers-pre-token-v1, -v2): one row per claim, with
    the token it went into and the function."""
    rows = []
    for hop in hops:
        call = hop.get("lambda")
        if not call or not str(call.get("trigger_source") or "").startswith("TokenGeneration_"):
            continue
        response = (hop.get("response_json") or {}).get("response") if isinstance(hop.get("response_json"), dict) else None
        if not isinstance(response, dict):
            continue
        v1 = response.get("claimsOverrideDetails") or {}
        v2 = response.get("claimsAndScopeOverrideDetails") or {}
        parts = [("ID token", v1), ("ID token", v2.get("idTokenGeneration") or {}),
                 ("access token", v2.get("accessTokenGeneration") or {})]
        for token, part in parts:
            for claim, value in (part.get("claimsToAddOrOverride") or {}).items():
                rows.append({"claim": claim, "value": value, "token": token, "function": call["function"]})
            for claim in part.get("claimsToSuppress") or []:
                rows.append({"claim": claim, "value": "(suppressed)", "token": token, "function": call["function"]})
        groups = (v1.get("groupOverrideDetails") or v2.get("groupOverrideDetails") or {}).get("groupsToOverride")
        if groups is not None:
            rows.append({"claim": "cognito:groups", "value": groups, "token": "ID and access tokens",
                         "function": call["function"]})
    return rows
