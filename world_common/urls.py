"""URL and identifier shapes of the real services, in one place.

Each rule cites the row of the project's fidelity reference it copies
(``docs/fidelity/<page>.md#<anchor>``); each row names its public source.
"""
from __future__ import annotations

import hashlib
import re
import string

_ALNUM = string.digits + string.ascii_letters
_LOWER_ALNUM = string.digits + string.ascii_lowercase


def stable_token(seed: str, length: int, alphabet: str = _ALNUM) -> str:
    """``length`` characters from ``alphabet``, always the same for the same ``seed``."""
    out = []
    counter = 0
    while len(out) < length:
        digest = hashlib.sha256(f"{seed}#{counter}".encode()).digest()
        counter += 1
        for byte in digest:
            if byte < 256 - (256 % len(alphabet)):
                out.append(alphabet[byte % len(alphabet)])
                if len(out) == length:
                    break
    return "".join(out)


# ---- Okta (docs/fidelity/okta-saml.md#okta-saml-idp, docs/fidelity/okta-oidc-api.md#okta-oidc-api-api) --------------------------------------------------------------

def okta_id(prefix: str, seed: str) -> str:
    """Okta object ids: a 3-character type prefix (0oa app, 00u user, 00g group, exk SAML
    issuer key, aus authorization server, aln app link) and 17 more, 20 in all."""
    return prefix + stable_token(f"okta:{prefix}:{seed}", 17)


def okta_app_name(org_url: str, label: str, sign_on_mode: str, n: int = 1) -> str:
    """The app name in Okta's URLs (docs/fidelity/okta-saml.md#okta-saml-sso-url): the AWS OIN app is
    ``amazon_aws``; app-integration-wizard apps are ``<orgsubdomain>_<labelslug>_<n>``
    (e.g. ``rstudioincdev513394_dev_1``)."""
    if sign_on_mode == "AWS":
        return "amazon_aws"
    subdomain = org_url.split("//", 1)[-1].split(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]", "", label.lower()) or "app"
    return f"{subdomain}_{slug}_{n}"


def okta_link_id(sign_on_mode: str, seed: str) -> str:
    """Embed-link ids (docs/fidelity/okta-saml.md#okta-saml-embed-link): OIN apps use a numeric id (AWS: usually
    ``272``); wizard apps use ``aln…`` ids."""
    return "272" if sign_on_mode == "AWS" else okta_id("aln", seed)


def okta_saml_issuer(exk: str) -> str:
    return f"http://www.okta.com/{exk}"


def okta_sso_url(org_url: str, app_name: str, exk: str) -> str:
    return f"{org_url}/app/{app_name}/{exk}/sso/saml"


def okta_metadata_url(org_url: str, exk: str) -> str:
    return f"{org_url}/app/{exk}/sso/saml/metadata"


def okta_embed_link(org_url: str, app_name: str, app_id: str, link_id: str) -> str:
    return f"{org_url}/home/{app_name}/{app_id}/{link_id}"


def okta_org_issuer(org_url: str) -> str:
    """The org authorization server's issuer is the org URL itself (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc)."""
    return org_url


def okta_custom_issuer(org_url: str, server_id: str) -> str:
    return f"{org_url}/oauth2/{server_id}"


def okta_client_id(seed: str) -> str:
    """OIDC client ids are ``0oa`` ids."""
    return okta_id("0oa", f"client:{seed}")


def okta_client_secret(seed: str) -> str:
    return stable_token(f"okta:secret:{seed}", 40, _ALNUM + "-_")


# ---- Cognito (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/cognito-tokens.md#cognito-tokens-federated-user, docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints) ----------------------------------------------------------

def cognito_pool_id(region: str, account: str, pool_name: str) -> str:
    """``<region>_`` + 9 alphanumerics (e.g. ``us-east-1_EXAMPLE``)."""
    return f"{region}_" + stable_token(f"pool:{account}:{region}:{pool_name}", 9)


def cognito_client_id(pool_id: str, client_name: str) -> str:
    """App client ids: 26 lowercase alphanumerics."""
    return stable_token(f"client:{pool_id}:{client_name}", 26, _LOWER_ALNUM)


def cognito_client_secret(pool_id: str, client_name: str) -> str:
    # Real secrets are 51 lowercase alphanumerics in the console; no documented shape.
    return stable_token(f"secret:{pool_id}:{client_name}", 51, _LOWER_ALNUM)


def cognito_sp_entity_id(pool_id: str) -> str:
    return f"urn:amazon:cognito:sp:{pool_id}"


def cognito_domain_host(domain: str, region: str) -> str:
    """A prefix becomes ``<prefix>.auth.<region>.amazoncognito.com``; a name with a dot is a
    custom domain and is used as it is."""
    return domain if "." in domain else f"{domain}.auth.{region}.amazoncognito.com"


def cognito_prefix_domains(region: str) -> str:
    """The name pattern of every prefix domain of ``region``: ``*.auth.<region>.amazoncognito.com``
    (one label, as a certificate's wildcard name)."""
    return f"*.auth.{region}.amazoncognito.com"


def cognito_issuer(region: str, pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def cognito_pool_arn(region: str, account: str, pool_id: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{account}:userpool/{pool_id}"


# ---- IAM -------------------------------------------------------------------------------------

def iam_saml_provider_arn(account: str, name: str) -> str:
    return f"arn:aws:iam::{account}:saml-provider/{name}"


def iam_role_arn(account: str, name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{account}:role{path}{name}"


# docs/fidelity/aws-signin-sts.md#aws-signin-sts-acs-destination-recipient: AWS's SAML sign-in
# endpoints (global or regional, the three partitions, ``/static/saml``, ``/saml/acs/<IdP ID>``).
_AWS_SIGNIN_ACS = re.compile(r"https://([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)"
                             r"/(static/)?saml(/acs/[\w-]+)?/?")


def is_aws_signin_acs(url: str | None) -> bool:
    """Whether ``url`` is one of AWS's SAML sign-in endpoints (an ACS and Recipient AWS accepts)."""
    return bool(url) and bool(_AWS_SIGNIN_ACS.fullmatch(url))


def iam_access_key(account: str, user: str) -> tuple[str, str]:
    """A stable access key pair: ``AKIA`` + 16 upper-case alphanumerics, 40-character secret."""
    key_id = "AKIA" + stable_token(f"akid:{account}:{user}", 16, string.ascii_uppercase + "234567")
    secret = stable_token(f"secret:{account}:{user}", 40, _ALNUM + "+/")
    return key_id, secret


def lambda_function_arn(region: str, account_id: str, name: str) -> str:
    """``arn:aws:lambda:<region>:<account>:function:<name>`` (the ARN a LambdaConfig names)."""
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"
