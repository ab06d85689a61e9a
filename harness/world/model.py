"""The world file's shape.

Field names follow what users already write: Okta's Terraform provider (``okta_app_saml``,
``okta_app_oauth``, the ``amazon_aws`` app's ``app_settings_json``) for the Okta side, and the
AWS API / CloudFormation property names (``ProviderDetails``, ``AttributeMapping``,
``CallbackURLs``...) for the AWS side, so settings copy across unchanged.
"""
from __future__ import annotations

import os
import re

from world_common import totp

from .schema import Any_, Bool, Field, Int, ListOf, MapOf, Obj, Str

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


def _saml_post(record, ctx, path):
    for short_field, table in (("subject_name_id_format", NAMEID_FORMATS),):
        value = record.get(short_field)
        if value in table:
            record[short_field] = table[value]
        elif value and value not in table.values():
            ctx.error(f"{value!r} is not a Name ID format; use one of {', '.join(table)}",
                      record.loc(short_field)[1], f"{path}.{short_field}")
    if record.sso_url:
        if record.recipient is None:
            record.recipient = record.sso_url
        if record.destination is None:
            record.destination = record.sso_url
    if record.response_signed is False and record.assertion_signed is False:
        # Okta's admin console offers no setting that signs neither (docs/fidelity/okta-saml.md#okta-saml-idp).
        ctx.error("at least one of response_signed and assertion_signed must be true",
                  record.loc("response_signed")[1], f"{path}.response_signed")


def _attribute_post(record, ctx, path):
    value = record.get("namespace")
    if value in ATTRIBUTE_NAME_FORMATS:
        record.namespace = ATTRIBUTE_NAME_FORMATS[value]
    elif value not in ATTRIBUTE_NAME_FORMATS.values():
        ctx.error(f"{value!r} is not a Name format; use one of {', '.join(ATTRIBUTE_NAME_FORMATS)}",
                  record.loc("namespace")[1], f"{path}.namespace")
    if record.type == "GROUP" and not record.filter_type:
        ctx.error("a GROUP attribute statement needs filter_type and filter_value",
                  record.loc()[1], f"{path}.filter_type")
    if record.type == "EXPRESSION" and not record.values:
        ctx.error("an EXPRESSION attribute statement needs values", record.loc()[1], f"{path}.values")


ATTRIBUTE_STATEMENT = Obj("attribute statement", {
    "type": Field(Str(choices=("EXPRESSION", "GROUP")), default="EXPRESSION"),
    "name": Field(Str(), required=True),
    "namespace": Field(Str(), default=ATTRIBUTE_NAME_FORMATS["unspecified"],
                       doc="Name format: unspecified, uri or basic (or the URN)"),
    "values": Field(ListOf(Str(), single_ok=True), default_factory=list,
                    doc="Okta Expression Language, one AttributeValue each"),
    "filter_type": Field(Str(choices=("STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"))),
    "filter_value": Field(Str()),
}, aliases={"name_format": "namespace", "value": "values"}, post=_attribute_post)

SAML_SETTINGS = Obj("SAML settings", {
    "sso_url": Field(Str(), doc="Single sign-on URL"),
    "recipient": Field(Str(), doc="Recipient URL (default: the SSO URL)"),
    "destination": Field(Str(), doc="Destination URL (default: the SSO URL)"),
    "audience": Field(Str(), doc="Audience URI (SP Entity ID)"),
    "default_relay_state": Field(Str(), default=""),
    "subject_name_id_format": Field(Str(), default="unspecified"),
    "user_name_template": Field(Str(), default="${source.login}", doc="Application username"),
    "response_signed": Field(Bool(), default=True),
    "assertion_signed": Field(Bool(), default=True),
    "signature_algorithm": Field(Str(choices=("RSA_SHA256", "RSA_SHA1")), default="RSA_SHA256"),
    "digest_algorithm": Field(Str(choices=("SHA256", "SHA1")), default="SHA256"),
    "honor_force_authn": Field(Bool(), default=True),
    "authn_context_class_ref": Field(
        Str(), default="urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"),
    "assertion_encrypted": Field(Bool(), default=False),
    "encryption_algorithm": Field(Str(choices=("AES256_CBC", "AES128_CBC", "AES256_GCM", "AES128_GCM")),
                                  default="AES256_CBC"),
    "key_transport_algorithm": Field(Str(choices=("RSA_OAEP", "RSA_15")), default="RSA_OAEP"),
    "encryption_certificate": Field(Str(), doc="the SP's certificate (PEM)"),
    "saml_signed_request_enabled": Field(Bool(), default=False),
    "request_certificate": Field(Str(), doc="certificate that signs AuthnRequests (PEM)"),
    "sp_issuer": Field(Str()),
    "acs_endpoints": Field(ListOf(Str()), default_factory=list,
                           doc="other SSO URLs the app may request"),
    "single_logout_url": Field(Str()),
    "single_logout_issuer": Field(Str()),
    "single_logout_certificate": Field(Str()),
    "attribute_statements": Field(ListOf(ATTRIBUTE_STATEMENT), default_factory=list),
}, post=_saml_post)

GROUPS_CLAIM = Obj("groups claim", {
    "type": Field(Str(choices=("FILTER", "EXPRESSION")), default="FILTER"),
    "name": Field(Str(), default="groups"),
    "filter_type": Field(Str(choices=("STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"))),
    "value": Field(Str(), required=True),
})

OIDC_SETTINGS = Obj("OIDC settings", {
    "type": Field(Str(choices=("web", "native", "browser", "service")), default="web"),
    "client_id": Field(Str()),
    "client_secret": Field(Str()),
    "redirect_uris": Field(ListOf(Str()), default_factory=list),
    "post_logout_redirect_uris": Field(ListOf(Str()), default_factory=list),
    "grant_types": Field(ListOf(Str(choices=(
        "authorization_code", "refresh_token", "implicit", "client_credentials", "password",
        "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"))),
        default_factory=lambda: ["authorization_code"]),
    "token_endpoint_auth_method": Field(Str(choices=(
        "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none")),
        default="client_secret_basic"),
    "pkce_required": Field(Bool(), default=False),
    "groups_claim": Field(GROUPS_CLAIM),
    "consent_method": Field(Str(choices=("REQUIRED", "TRUSTED")), default="TRUSTED"),
})

AWS_APP_SETTINGS = Obj("AWS Account Federation settings", {
    # app_settings_json keys of Okta's amazon_aws app (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app)
    "awsEnvironmentType": Field(Str(), default="aws.amazon"),
    "loginURL": Field(Str(), default="https://signin.aws.amazon.com/saml", doc="ACS URL"),
    "identityProviderArn": Field(Str(), doc="comma-separated IAM SAML provider ARNs"),
    "sessionDuration": Field(Int(minimum=900, maximum=43200), default=3600),
    "joinAllRoles": Field(Bool(), default=False),
    "useGroupMapping": Field(Bool(), default=False),
    "appFilter": Field(Str(), default="okta"),
    "groupFilter": Field(Str(), default=r"^aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)$"),
    "roleValuePattern": Field(
        Str(), default="arn:aws:iam::${accountid}:saml-provider/OKTA,arn:aws:iam::${accountid}:role/${role}"),
    "accessKey": Field(Str()),
    "secretKey": Field(Str()),
})

def _app_post(record, ctx, path):
    mode = record.sign_on_mode
    if mode in ("SAML_2_0", "AWS") and record.saml is None:
        record.saml = SAML_SETTINGS.check(None, ctx, f"{path}.saml", record.loc()[1])
    if mode == "AWS" and record.aws is None:
        record.aws = AWS_APP_SETTINGS.check(None, ctx, f"{path}.aws", record.loc()[1])
    if mode == "OPENID_CONNECT" and record.oidc is None:
        ctx.error("an OPENID_CONNECT app needs an oidc block", record.loc()[1], f"{path}.oidc")


APP = Obj("Okta app", {
    "label": Field(Str(), required=True),
    "name": Field(Str(), doc="the app name in Okta's URLs (default: from the label)"),
    "sign_on_mode": Field(Str(choices=("SAML_2_0", "OPENID_CONNECT", "AWS")), required=True),
    "status": Field(Str(choices=("ACTIVE", "INACTIVE")), default="ACTIVE"),
    "saml": Field(SAML_SETTINGS),
    "oidc": Field(OIDC_SETTINGS),
    "aws": Field(AWS_APP_SETTINGS),
    "users": Field(ListOf(Any_()), default_factory=list,
                   doc="assigned users: a login, or {user, saml_roles}"),
    "groups": Field(ListOf(Any_()), default_factory=list,
                    doc="assigned groups: a name, or {group, saml_roles}"),
    # okta_app_signon_policy_rule: factor_mode "1FA" / "2FA" for the users of groups_included
    "sign_on_rules": Field(ListOf(Obj("app sign-on rule", {
        "name": Field(Str(), required=True),
        "factor_mode": Field(Str(choices=("1FA", "2FA")), default="2FA"),
        "access": Field(Str(choices=("ALLOW", "DENY")), default="ALLOW"),
        "groups_included": Field(ListOf(Str()), default_factory=lambda: ["Everyone"]),
    })), default_factory=list, doc="the app's sign-on policy rules (first match decides)"),
}, post=_app_post)

FACTOR_TYPES = ("token:software:totp", "push", "sms", "email", "question")


def _factor_post(record, ctx, path):
    if record.type == "token:software:totp" and not (record.secret and totp.valid_secret(record.secret)):
        ctx.error("a token:software:totp factor needs secret: a base32 key of 16+ characters (e.g. JBSWY3DPEHPK3PXP)",
                  record.loc("secret")[1], f"{path}.secret")
    if record.type == "question" and not (record.question and record.answer):
        ctx.error("a question factor needs question and answer", record.loc()[1], f"{path}.answer")
    if record.provider is None:
        record.provider = "OKTA"


FACTOR = Obj("Okta factor", {
    # Okta's Factors API: factorType and provider (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-factors)
    "type": Field(Str(choices=FACTOR_TYPES), required=True, doc="the factorType"),
    "provider": Field(Str(choices=("OKTA", "GOOGLE")), doc="OKTA (default) or GOOGLE (Google Authenticator)"),
    "secret": Field(Str(), doc="token:software:totp: the base32 shared secret, so tests can compute codes"),
    "push": Field(Str(choices=("approve", "deny", "timeout")), default="approve",
                  doc="push: what the user's phone answers"),
    "code": Field(Str(coerce=True), doc="sms / email: the code sent (default: a random one, written to the trace)"),
    "phone_number": Field(Str(), default="+1 XXX-XXX-4242", doc="sms: the (masked) number shown"),
    "email": Field(Str(), doc="email: the address shown (default: the user's email)"),
    "question": Field(Str(), doc="question: the question key (e.g. disliked_food)"),
    "question_text": Field(Str(), doc="question: the text shown"),
    "answer": Field(Str(), doc="question: the answer"),
    "status": Field(Str(choices=("ACTIVE", "PENDING_ACTIVATION")), default="ACTIVE"),
}, aliases={"factorType": "type", "factor_type": "type", "shared_secret": "secret"}, post=_factor_post)

USER = Obj("Okta user", {
    "login": Field(Str(), required=True),
    "password": Field(Str()),
    "status": Field(Str(choices=("ACTIVE", "STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED",
                                 "LOCKED_OUT", "PASSWORD_EXPIRED", "RECOVERY")), default="ACTIVE"),
    "profile": Field(MapOf(Any_()), default_factory=dict,
                     doc="Okta profile attributes (firstName, lastName, email, ...)"),
    "groups": Field(ListOf(Str()), default_factory=list),
    "factors": Field(ListOf(FACTOR), default_factory=list, doc="enrolled MFA factors"),
})

# Sign-on policies as the Okta Terraform provider writes them: okta_policy_signon (groups_included,
# priority) with okta_policy_rule_signon rules (access, mfa_required, mfa_prompt, users_excluded);
# users_included is the harness's way to aim a rule at named users (unconfirmed for Classic).
SIGNON_RULE = Obj("sign-on policy rule", {
    "name": Field(Str(), required=True),
    "access": Field(Str(choices=("ALLOW", "DENY")), default="ALLOW"),
    "mfa_required": Field(Bool(), default=False),
    "mfa_prompt": Field(Str(choices=("ALWAYS", "SESSION", "DEVICE")), default="ALWAYS"),
    "users_included": Field(ListOf(Str()), default_factory=list, doc="logins (default: everyone the policy covers)"),
    "users_excluded": Field(ListOf(Str()), default_factory=list, doc="logins"),
})

SIGNON_POLICY = Obj("sign-on policy", {
    "name": Field(Str(), required=True),
    "groups_included": Field(ListOf(Str()), default_factory=lambda: ["Everyone"]),
    "rules": Field(ListOf(SIGNON_RULE), default_factory=list),
})

PASSWORD_POLICY = Obj("password policy", {
    # okta_policy_password: password_max_lockout_attempts (0: no lockout)
    "password_max_lockout_attempts": Field(Int(minimum=0), default=10),
})

GROUP = Obj("Okta group", {
    "name": Field(Str(), required=True),
    "description": Field(Str(), default=""),
})

AUTH_SERVER = Obj("authorization server", {
    "name": Field(Str(), required=True, doc="its id in URLs; 'default' always exists"),
    "audiences": Field(ListOf(Str()), default_factory=lambda: ["api://default"]),
    "description": Field(Str(), default=""),
})

API_TOKEN = Obj("API token", {
    "name": Field(Str(), required=True),
    "token": Field(Str(), required=True),
})

OKTA = Obj("Okta org", {
    "org_url": Field(Str(), default="https://dev-123456.okta.com"),
    "users": Field(ListOf(USER), default_factory=list),
    "groups": Field(ListOf(GROUP), default_factory=list),
    "apps": Field(ListOf(APP), default_factory=list),
    "authorization_servers": Field(ListOf(AUTH_SERVER), default_factory=list),
    "api_tokens": Field(ListOf(API_TOKEN), default_factory=list),
    "engine": Field(Str(choices=("classic", "identity_engine")), default="identity_engine",
                    doc="the org's engine: new orgs run Identity Engine"),
    "sign_on_policies": Field(ListOf(SIGNON_POLICY), default_factory=list,
                              doc="evaluated in order; the first policy whose groups include the user decides"),
    "password_policy": Field(PASSWORD_POLICY),
})

# ---- AWS -------------------------------------------------------------------------------------

SCHEMA_ATTRIBUTE = Obj("schema attribute", {
    "Name": Field(Str(), required=True),
    "AttributeDataType": Field(Str(choices=("String", "Number", "DateTime", "Boolean")), default="String"),
    "Mutable": Field(Bool(), default=True),
    "Required": Field(Bool(), default=False),
    "DeveloperOnlyAttribute": Field(Bool(), default=False),
    "StringAttributeConstraints": Field(MapOf(Str(coerce=True))),
    "NumberAttributeConstraints": Field(MapOf(Str(coerce=True))),
})

IDENTITY_PROVIDER = Obj("identity provider", {
    "ProviderName": Field(Str(), required=True),
    "ProviderType": Field(Str(choices=("SAML", "OIDC", "Google", "Facebook", "LoginWithAmazon",
                                       "SignInWithApple")), required=True),
    "ProviderDetails": Field(MapOf(Str(coerce=True)), default_factory=dict),
    "AttributeMapping": Field(MapOf(Str()), default_factory=dict),
    "IdpIdentifiers": Field(ListOf(Str()), default_factory=list),
})

TOKEN_UNITS = Obj("token validity units", {
    "AccessToken": Field(Str(choices=("seconds", "minutes", "hours", "days")), default="hours"),
    "IdToken": Field(Str(choices=("seconds", "minutes", "hours", "days")), default="hours"),
    "RefreshToken": Field(Str(choices=("seconds", "minutes", "hours", "days")), default="days"),
})

CLIENT = Obj("user pool client", {
    "ClientName": Field(Str(), required=True),
    "GenerateSecret": Field(Bool(), default=False),
    "CallbackURLs": Field(ListOf(Str()), default_factory=list),
    "LogoutURLs": Field(ListOf(Str()), default_factory=list),
    "DefaultRedirectURI": Field(Str()),
    "SupportedIdentityProviders": Field(ListOf(Str()), default_factory=list),
    "AllowedOAuthFlows": Field(ListOf(Str(choices=("code", "implicit", "client_credentials"))),
                               default_factory=list),
    "AllowedOAuthScopes": Field(ListOf(Str()), default_factory=list),
    "AllowedOAuthFlowsUserPoolClient": Field(Bool(), default=False),
    "ReadAttributes": Field(ListOf(Str())),
    "WriteAttributes": Field(ListOf(Str())),
    "ExplicitAuthFlows": Field(ListOf(Str())),
    "AccessTokenValidity": Field(Int(minimum=1)),
    "IdTokenValidity": Field(Int(minimum=1)),
    "RefreshTokenValidity": Field(Int(minimum=1)),
    "TokenValidityUnits": Field(TOKEN_UNITS),
    "EnableTokenRevocation": Field(Bool(), default=True),
    "AuthSessionValidity": Field(Int(minimum=3, maximum=15)),
})

POOL_GROUP = Obj("user pool group", {
    "GroupName": Field(Str(), required=True),
    "Description": Field(Str()),
    "Precedence": Field(Int(minimum=0)),
    "RoleArn": Field(Str()),
})

DOMAIN = Obj("user pool domain", {
    "Domain": Field(Str(), required=True, doc="a prefix, or a custom domain name"),
    "CustomDomainConfig": Field(MapOf(Str())),
})


# ---- Lambda functions and user-pool triggers (issue 14; mock_cognito.triggers runs them) ---------

LAMBDA_RUNTIMES = ("python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
                   "nodejs18.x", "nodejs20.x", "nodejs22.x")


def _function_post(record, ctx, path):
    """``Code.ZipFile`` (inline source, CloudFormation) or ``CodeUri`` (a directory, SAM): one of them."""

    inline = (record.Code or {}).get("ZipFile")
    if bool(inline) == bool(record.CodeUri):
        ctx.error("a function needs exactly one of Code.ZipFile (inline source) and CodeUri (a directory)",
                  record.loc()[1], path)
        return
    if record.CodeUri:
        base = os.path.dirname(ctx.file) if ctx.file and not ctx.file.startswith("<") else os.getcwd()
        folder = os.path.abspath(os.path.join(base, record.CodeUri))
        if not os.path.isdir(folder):
            ctx.error(f"CodeUri {record.CodeUri!r} is not a directory (looked at {folder})",
                      record.loc("CodeUri")[1], f"{path}.CodeUri")
        record.CodeUri = folder
    if "." not in (record.Handler or ""):
        ctx.error(f"Handler {record.Handler!r} must be <file>.<function>, e.g. index.handler",
                  record.loc("Handler")[1], f"{path}.Handler")


FUNCTION = Obj("Lambda function", {
    "FunctionName": Field(Str(), required=True),
    "Runtime": Field(Str(choices=LAMBDA_RUNTIMES), required=True),
    "Handler": Field(Str(), default="index.handler", doc="<file>.<function>"),
    "Code": Field(MapOf(Str()), doc="{ZipFile: <source>} (the file is index.py / index.js)"),
    "CodeUri": Field(Str(), doc="a directory holding the handler's files (relative to the world file)"),
    "Timeout": Field(Int(minimum=1, maximum=900), default=3, doc="seconds (Lambda's default: 3)"),
    "Environment": Field(MapOf(Any_()), doc="{Variables: {NAME: value}}"),
}, post=_function_post)

PRE_TOKEN_CONFIG = Obj("PreTokenGenerationConfig", {
    "LambdaArn": Field(Str(), required=True),
    "LambdaVersion": Field(Str(choices=("V1_0", "V2_0", "V3_0")), default="V1_0"),
})

POOL_USER = Obj("native user of a user pool", {
    "Username": Field(Str(), required=True),
    "Attributes": Field(MapOf(Str(coerce=True)), default_factory=dict, doc="name -> value (email, custom:x)"),
    "Password": Field(Str(), doc="a permanent password (status CONFIRMED)"),
    "TemporaryPassword": Field(Str(), doc="a temporary one (status FORCE_CHANGE_PASSWORD)"),
    "Enabled": Field(Bool(), default=True),
})

LAMBDA_CONFIG = Obj("LambdaConfig", {
    "PreSignUp": Field(Str()),
    "PostConfirmation": Field(Str()),
    "PreAuthentication": Field(Str()),
    "PostAuthentication": Field(Str()),
    "PreTokenGeneration": Field(Str()),
    "PreTokenGenerationConfig": Field(PRE_TOKEN_CONFIG),
})


USER_POOL = Obj("user pool", {
    "PoolName": Field(Str(), required=True),
    "Schema": Field(ListOf(SCHEMA_ATTRIBUTE), default_factory=list),
    "UsernameAttributes": Field(ListOf(Str(choices=("email", "phone_number")))),
    "AliasAttributes": Field(ListOf(Str())),
    "UsernameConfiguration": Field(MapOf(Any_())),
    "Domain": Field(Str(), doc="the hosted UI domain prefix (or a custom domain)"),
    "IdentityProviders": Field(ListOf(IDENTITY_PROVIDER), default_factory=list),
    "Clients": Field(ListOf(CLIENT), default_factory=list),
    "Groups": Field(ListOf(POOL_GROUP), default_factory=list),
    "LambdaConfig": Field(LAMBDA_CONFIG, doc="triggers: ${function:<name>.arn} of aws.Functions"),
    "Users": Field(ListOf(POOL_USER), default_factory=list,
                   doc="native users (AdminCreateUser), e.g. for the password form or account linking"),
})

SAML_PROVIDER = Obj("IAM SAML provider", {
    "Name": Field(Str(), required=True),
    "SAMLMetadataDocument": Field(Str(), required=True),
})

ROLE = Obj("IAM role", {
    "RoleName": Field(Str(), required=True),
    "AssumeRolePolicyDocument": Field(Any_(), required=True, doc="a policy (mapping) or its JSON"),
    "MaxSessionDuration": Field(Int(minimum=3600, maximum=43200), default=3600),
    "Description": Field(Str(), default=""),
    "Path": Field(Str(), default="/"),
})

IAM_USER = Obj("IAM user", {
    "UserName": Field(Str(), required=True),
    "AccessKey": Field(Bool(), default=False, doc="make one access key (its id and secret are stable)"),
    "Policies": Field(ListOf(Any_()), default_factory=list),
})

AUTHENTICATE_COGNITO = Obj("authenticate-cognito action", {
    "UserPoolArn": Field(Str(), required=True),
    "UserPoolClientId": Field(Str(), required=True),
    "UserPoolDomain": Field(Str(), required=True),
    "Scope": Field(Str(), default="openid"),
    "SessionCookieName": Field(Str(), default="AWSELBAuthSessionCookie"),
    "SessionTimeout": Field(Int(minimum=1), default=604800),
    "OnUnauthenticatedRequest": Field(Str(choices=("deny", "allow", "authenticate")), default="authenticate"),
    "AuthenticationRequestExtraParams": Field(MapOf(Str()), default_factory=dict),
})

LOAD_BALANCER = Obj("load balancer", {
    "Name": Field(Str(), required=True),
    "DNSName": Field(Str(), required=True, doc="e.g. acme-alb-1234567890.us-east-1.elb.amazonaws.com"),
    "AuthenticateCognitoConfig": Field(AUTHENTICATE_COGNITO, required=True),
    "Target": Field(Str(), required=True, doc="the stand-in app URL, or any upstream URL"),
})

class AccountId(Str):
    """An AWS account id: 12 digits, as in IAM ARNs and the account moto answers for (a world
    with another id would not start: issue 13, "validate must catch what up would crash on")."""

    name = "a 12-digit AWS account id"

    def __init__(self) -> None:
        super().__init__(coerce=True)

    def check(self, value, ctx, path, line):
        value = super().check(value, ctx, path, line)
        if value is not None and not re.fullmatch(r"\d{12}", value):
            ctx.error(f"{value!r} is not an AWS account id (12 digits)", line, path)
            return None
        return value


AWS = Obj("AWS account", {
    "account_id": Field(AccountId(), default="123456789012"),
    "region": Field(Str(), default="us-east-1"),
    "signin_page": Field(Str(choices=("current", "legacy")), default="current",
                         doc="which AWS role-picker page signin.aws.amazon.com shows"),
    "UserPools": Field(ListOf(USER_POOL), default_factory=list),
    "SAMLProviders": Field(ListOf(SAML_PROVIDER), default_factory=list),
    "Roles": Field(ListOf(ROLE), default_factory=list),
    "Users": Field(ListOf(IAM_USER), default_factory=list),
    "LoadBalancers": Field(ListOf(LOAD_BALANCER), default_factory=list),
    "Functions": Field(ListOf(FUNCTION), default_factory=list, doc="Lambda functions (triggers)"),
})

APP_STANDIN = Obj("client application", {
    "url": Field(Str(), required=True),
    "user_pool": Field(Str(), required=True, doc="PoolName of the pool it signs in with"),
    "clients": Field(ListOf(Str(), single_ok=True), required=True, doc="ClientName(s) it uses"),
})

WORLD = Obj("world", {
    "name": Field(Str(), default="world"),
    "okta": Field(OKTA),
    "aws": Field(AWS),
    "apps": Field(ListOf(APP_STANDIN), default_factory=list),
})
