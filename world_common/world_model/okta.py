"""The ``okta:`` section of a world: an Okta org, its users, groups, apps and policies.

Field names follow Okta's Terraform provider (``okta_app_saml``, ``okta_app_oauth``, the
``amazon_aws`` app's ``app_settings_json``), so settings copy across unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from world_common import totp

from .record import Check, Located, derived, setting

NAMEID_FORMATS = {
    # Okta admin console names -> SAML URNs (docs/fidelity/okta-saml.md#okta-saml-idp)
    "unspecified": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "emailAddress": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "persistent": "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "transient": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "x509SubjectName": "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
}
ATTRIBUTE_NAME_FORMATS = {
    "unspecified": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
    "uri": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "basic": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
}
FilterType = Literal["STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"]
Access = Literal["ALLOW", "DENY"]


def _everyone() -> list[str]:
    return ["Everyone"]


@dataclass(kw_only=True, eq=False, repr=False)
class AttributeStatement(Located):
    """One SAML attribute statement of an Okta app (okta_app_saml attribute_statements)."""

    KIND: ClassVar[str] = "attribute statement"
    ALIASES: ClassVar[dict[str, str]] = {"name_format": "namespace", "value": "values"}

    type: Literal["EXPRESSION", "GROUP"] = setting("EXPRESSION")
    name: str = setting()
    namespace: str = setting(ATTRIBUTE_NAME_FORMATS["unspecified"],
                             doc="Name format: unspecified, uri or basic (or the URN)")
    values: list[str] = setting(factory=list, single_ok=True,
                                doc="Okta Expression Language, one AttributeValue each")
    filter_type: FilterType | None = setting(None)
    filter_value: str | None = setting(None)

    def normalise(self, check: Check) -> None:
        value = self.namespace
        if value in ATTRIBUTE_NAME_FORMATS:
            self.namespace = ATTRIBUTE_NAME_FORMATS[value]
        elif value not in ATTRIBUTE_NAME_FORMATS.values():
            check.error(f"{value!r} is not a Name format; use one of {', '.join(ATTRIBUTE_NAME_FORMATS)}",
                        "namespace")
        if self.type == "GROUP" and not self.filter_type:
            check.error("a GROUP attribute statement needs filter_type and filter_value", field="filter_type")
        if self.type == "EXPRESSION" and not self.values:
            check.error("an EXPRESSION attribute statement needs values", field="values")


@dataclass(kw_only=True, eq=False, repr=False)
class SamlSettings(Located):
    """An Okta app's SAML settings (okta_app_saml): where and how Okta sends its SAMLResponse."""

    KIND: ClassVar[str] = "SAML settings"

    sso_url: str | None = setting(None, doc="Single sign-on URL")
    recipient: str | None = setting(None, doc="Recipient URL (default: the SSO URL)")
    destination: str | None = setting(None, doc="Destination URL (default: the SSO URL)")
    audience: str | None = setting(None, doc="Audience URI (SP Entity ID)")
    default_relay_state: str = setting("")
    subject_name_id_format: str = setting("unspecified")
    user_name_template: str = setting("${source.login}", doc="Application username")
    response_signed: bool = setting(True)
    assertion_signed: bool = setting(True)
    signature_algorithm: Literal["RSA_SHA256", "RSA_SHA1"] = setting("RSA_SHA256")
    digest_algorithm: Literal["SHA256", "SHA1"] = setting("SHA256")
    honor_force_authn: bool = setting(True)
    authn_context_class_ref: str = setting("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
    assertion_encrypted: bool = setting(False)
    encryption_algorithm: Literal["AES256_CBC", "AES128_CBC", "AES256_GCM", "AES128_GCM"] = setting("AES256_CBC")
    key_transport_algorithm: Literal["RSA_OAEP", "RSA_15"] = setting("RSA_OAEP")
    encryption_certificate: str | None = setting(None, doc="the SP's certificate (PEM)")
    saml_signed_request_enabled: bool = setting(False)
    request_certificate: str | None = setting(None, doc="certificate that signs AuthnRequests (PEM)")
    sp_issuer: str | None = setting(None)
    acs_endpoints: list[str] = setting(factory=list, doc="other SSO URLs the app may request")
    single_logout_url: str | None = setting(None)
    single_logout_issuer: str | None = setting(None)
    single_logout_certificate: str | None = setting(None)
    attribute_statements: list[AttributeStatement] = setting(factory=list)

    def normalise(self, check: Check) -> None:
        value = self.subject_name_id_format
        if value in NAMEID_FORMATS:
            self.subject_name_id_format = NAMEID_FORMATS[value]
        elif value and value not in NAMEID_FORMATS.values():
            check.error(f"{value!r} is not a Name ID format; use one of {', '.join(NAMEID_FORMATS)}",
                        "subject_name_id_format")
        if self.sso_url:
            if self.recipient is None:
                self.recipient = self.sso_url
            if self.destination is None:
                self.destination = self.sso_url
        if self.response_signed is False and self.assertion_signed is False:
            # Okta's admin console offers no setting that signs neither (docs/fidelity/okta-saml.md#okta-saml-idp).
            check.error("at least one of response_signed and assertion_signed must be true", "response_signed")


@dataclass(kw_only=True, eq=False, repr=False)
class GroupsClaim(Located):
    """The groups claim of an Okta OIDC app's ID token."""

    KIND: ClassVar[str] = "groups claim"

    type: Literal["FILTER", "EXPRESSION"] = setting("FILTER")
    name: str = setting("groups")
    filter_type: FilterType | None = setting(None)
    value: str = setting()


GrantType = Literal["authorization_code", "refresh_token", "implicit", "client_credentials", "password",
                    "urn:ietf:params:oauth:grant-type:device_code",
                    "urn:ietf:params:oauth:grant-type:token-exchange"]


def _authorization_code() -> list[str]:
    return ["authorization_code"]


@dataclass(kw_only=True, eq=False, repr=False)
class OidcSettings(Located):
    """An Okta app's OIDC settings (okta_app_oauth)."""

    KIND: ClassVar[str] = "OIDC settings"

    type: Literal["web", "native", "browser", "service"] = setting("web")
    client_id: str | None = setting(None)
    client_secret: str | None = setting(None)
    redirect_uris: list[str] = setting(factory=list)
    post_logout_redirect_uris: list[str] = setting(factory=list)
    grant_types: list[GrantType] = setting(factory=_authorization_code)
    token_endpoint_auth_method: Literal["client_secret_basic", "client_secret_post", "client_secret_jwt",
                                        "private_key_jwt", "none"] = setting("client_secret_basic")
    pkce_required: bool = setting(False)
    groups_claim: GroupsClaim | None = setting(None)
    consent_method: Literal["REQUIRED", "TRUSTED"] = setting("TRUSTED")


@dataclass(kw_only=True, eq=False, repr=False)
class AwsAppSettings(Located):
    """The AWS Account Federation app's settings (app_settings_json of Okta's amazon_aws app)."""

    # app_settings_json keys of Okta's amazon_aws app (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app)
    KIND: ClassVar[str] = "AWS Account Federation settings"

    awsEnvironmentType: str = setting("aws.amazon")
    loginURL: str = setting("https://signin.aws.amazon.com/saml", doc="ACS URL")
    identityProviderArn: str | None = setting(None, doc="comma-separated IAM SAML provider ARNs")
    sessionDuration: int = setting(3600, minimum=900, maximum=43200)
    joinAllRoles: bool = setting(False)
    useGroupMapping: bool = setting(False)
    appFilter: str = setting("okta")
    groupFilter: str = setting(r"^aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)$")
    roleValuePattern: str = setting(
        "arn:aws:iam::${accountid}:saml-provider/OKTA,arn:aws:iam::${accountid}:role/${role}")
    accessKey: str | None = setting(None)
    secretKey: str | None = setting(None)


@dataclass(kw_only=True, eq=False, repr=False)
class AppSignOnRule(Located):
    """A rule of an Okta app's sign-on policy."""

    # okta_app_signon_policy_rule: factor_mode "1FA" / "2FA" for the users of groups_included
    KIND: ClassVar[str] = "app sign-on rule"

    name: str = setting()
    factor_mode: Literal["1FA", "2FA"] = setting("2FA")
    access: Access = setting("ALLOW")
    groups_included: list[str] = setting(factory=_everyone)


@dataclass(kw_only=True, eq=False, repr=False)
class OktaApp(Located):
    """An Okta app: SAML, OIDC or AWS Account Federation, with its assignments."""

    KIND: ClassVar[str] = "Okta app"

    label: str = setting()
    name: str | None = setting(None, doc="the app name in Okta's URLs (default: from the label)")
    sign_on_mode: Literal["SAML_2_0", "OPENID_CONNECT", "AWS"] = setting()
    status: Literal["ACTIVE", "INACTIVE"] = setting("ACTIVE")
    saml: SamlSettings | None = setting(None)
    oidc: OidcSettings | None = setting(None)
    aws: AwsAppSettings | None = setting(None)
    users: list[Any] = setting(factory=list, doc="assigned users: a login, or {user, saml_roles}")
    groups: list[Any] = setting(factory=list, doc="assigned groups: a name, or {group, saml_roles}")
    sign_on_rules: list[AppSignOnRule] = setting(factory=list,
                                                 doc="the app's sign-on policy rules (first match decides)")
    id: str | None = derived("the app id (0oa...)")
    link_id: str | None = derived("the id in the app's embed link")
    embed_link: str | None = derived("the URL of the app's tile")
    exk: str | None = derived("SAML apps: the id in the IdP's URLs (exk...)")
    entity_id: str | None = derived("SAML apps: the IdP's entity id (issuer)")
    sso_url: str | None = derived("SAML apps: the IdP's single sign-on URL")
    metadata_url: str | None = derived("SAML apps: the IdP metadata URL")

    def normalise(self, check: Check) -> None:
        mode = self.sign_on_mode
        if mode in ("SAML_2_0", "AWS") and self.saml is None:
            self.saml = check.default(SamlSettings, "saml")
        if mode == "AWS" and self.aws is None:
            self.aws = check.default(AwsAppSettings, "aws")
        if mode == "OPENID_CONNECT" and self.oidc is None:
            check.error("an OPENID_CONNECT app needs an oidc block", field="oidc")


FactorType = Literal["token:software:totp", "push", "sms", "email", "question"]


@dataclass(kw_only=True, eq=False, repr=False)
class Factor(Located):
    """An MFA factor enrolled for an Okta user."""

    # Okta's Factors API: factorType and provider (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-factors)
    KIND: ClassVar[str] = "Okta factor"
    ALIASES: ClassVar[dict[str, str]] = {"factorType": "type", "factor_type": "type", "shared_secret": "secret"}

    type: FactorType = setting(doc="the factorType")
    provider: Literal["OKTA", "GOOGLE"] | None = setting(None, doc="OKTA (default) or GOOGLE (Google Authenticator)")
    secret: str | None = setting(None, doc="token:software:totp: the base32 shared secret, so tests can compute codes")
    push: Literal["approve", "deny", "timeout"] = setting("approve", doc="push: what the user's phone answers")
    code: str | None = setting(None, coerce=True,
                               doc="sms / email: the code sent (default: a random one, written to the trace)")
    phone_number: str = setting("+1 XXX-XXX-4242", doc="sms: the (masked) number shown")
    email: str | None = setting(None, doc="email: the address shown (default: the user's email)")
    question: str | None = setting(None, doc="question: the question key (e.g. disliked_food)")
    question_text: str | None = setting(None, doc="question: the text shown")
    answer: str | None = setting(None, doc="question: the answer")
    status: Literal["ACTIVE", "PENDING_ACTIVATION"] = setting("ACTIVE")
    id: str | None = derived("the factor id (a prefix per type)")

    def normalise(self, check: Check) -> None:
        if self.type == "token:software:totp" and not (self.secret and totp.valid_secret(self.secret)):
            check.error("a token:software:totp factor needs secret: a base32 key of 16+ characters "
                        "(e.g. JBSWY3DPEHPK3PXP)", "secret")
        if self.type == "question" and not (self.question and self.answer):
            check.error("a question factor needs question and answer", field="answer")
        if self.provider is None:
            self.provider = "OKTA"


@dataclass(kw_only=True, eq=False, repr=False)
class OktaUser(Located):
    """An Okta user: login, password, status, profile, groups and factors."""

    KIND: ClassVar[str] = "Okta user"

    login: str = setting()
    password: str | None = setting(None)
    status: Literal["ACTIVE", "STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED", "LOCKED_OUT",
                    "PASSWORD_EXPIRED", "RECOVERY"] = setting("ACTIVE")
    profile: dict[str, Any] = setting(factory=dict, doc="Okta profile attributes (firstName, lastName, email, ...)")
    groups: list[str] = setting(factory=list)
    factors: list[Factor] = setting(factory=list, doc="enrolled MFA factors")
    id: str | None = derived("the user id (00u...)")


# Sign-on policies as the Okta Terraform provider writes them: okta_policy_signon (groups_included,
# priority) with okta_policy_rule_signon rules (access, mfa_required, mfa_prompt, users_excluded);
# users_included is the harness's way to aim a rule at named users (unconfirmed for Classic).
@dataclass(kw_only=True, eq=False, repr=False)
class SignOnRule(Located):
    """A rule of an Okta org sign-on policy."""

    KIND: ClassVar[str] = "sign-on policy rule"

    name: str = setting()
    access: Access = setting("ALLOW")
    mfa_required: bool = setting(False)
    mfa_prompt: Literal["ALWAYS", "SESSION", "DEVICE"] = setting("ALWAYS")
    users_included: list[str] = setting(factory=list, doc="logins (default: everyone the policy covers)")
    users_excluded: list[str] = setting(factory=list, doc="logins")


@dataclass(kw_only=True, eq=False, repr=False)
class SignOnPolicy(Located):
    """An Okta org sign-on policy and its rules."""

    KIND: ClassVar[str] = "sign-on policy"

    name: str = setting()
    groups_included: list[str] = setting(factory=_everyone)
    rules: list[SignOnRule] = setting(factory=list)


@dataclass(kw_only=True, eq=False, repr=False)
class PasswordPolicy(Located):
    """The Okta org's password policy (lockout)."""

    # okta_policy_password: password_max_lockout_attempts (0: no lockout)
    KIND: ClassVar[str] = "password policy"

    password_max_lockout_attempts: int = setting(10, minimum=0)


@dataclass(kw_only=True, eq=False, repr=False)
class OktaGroup(Located):
    """An Okta group."""

    KIND: ClassVar[str] = "Okta group"

    name: str = setting()
    description: str = setting("")
    id: str | None = derived("the group id (00g...)")


@dataclass(kw_only=True, eq=False, repr=False)
class AuthorizationServer(Located):
    """An Okta custom authorization server."""

    KIND: ClassVar[str] = "authorization server"

    name: str = setting(doc="its id in URLs; 'default' always exists")
    audiences: list[str] = setting(factory=lambda: ["api://default"])
    description: str = setting("")
    id: str | None = derived("the server id ('default', or aus...)")
    issuer: str | None = derived("the server's issuer URL")


@dataclass(kw_only=True, eq=False, repr=False)
class ApiToken(Located):
    """An Okta API token (SSWS)."""

    KIND: ClassVar[str] = "API token"

    name: str = setting()
    token: str = setting()


@dataclass(kw_only=True, eq=False, repr=False)
class OktaOrg(Located):
    """An Okta org: the ``okta:`` section of a world file."""

    KIND: ClassVar[str] = "Okta org"

    org_url: str = setting("https://dev-123456.okta.com")
    users: list[OktaUser] = setting(factory=list)
    groups: list[OktaGroup] = setting(factory=list)
    apps: list[OktaApp] = setting(factory=list)
    authorization_servers: list[AuthorizationServer] = setting(factory=list)
    api_tokens: list[ApiToken] = setting(factory=list)
    engine: Literal["classic", "identity_engine"] = setting("identity_engine",
                                                            doc="the org's engine: new orgs run Identity Engine")
    sign_on_policies: list[SignOnPolicy] = setting(
        factory=list, doc="evaluated in order; the first policy whose groups include the user decides")
    password_policy: PasswordPolicy | None = setting(None)
