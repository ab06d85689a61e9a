"""The ``aws:`` section of a world: an AWS account's user pools, IAM, load balancers and Lambda
functions.

Field names are the AWS API's and CloudFormation's (``ProviderDetails``, ``AttributeMapping``,
``CallbackURLs``...), so settings copy across unchanged. moto holds what the API can change
after start; these records are what the world file said.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from .record import Check, Located, derived, setting

TimeUnit = Literal["seconds", "minutes", "hours", "days"]


@dataclass(kw_only=True, eq=False, repr=False)
class SchemaAttribute(Located):
    """An attribute of a user pool's schema (CreateUserPool Schema)."""

    KIND: ClassVar[str] = "schema attribute"

    Name: str = setting()
    AttributeDataType: Literal["String", "Number", "DateTime", "Boolean"] = setting("String")
    Mutable: bool = setting(True)
    Required: bool = setting(False)
    DeveloperOnlyAttribute: bool = setting(False)
    StringAttributeConstraints: dict[str, str] | None = setting(None, coerce=True)
    NumberAttributeConstraints: dict[str, str] | None = setting(None, coerce=True)


@dataclass(kw_only=True, eq=False, repr=False)
class IdentityProvider(Located):
    """A user pool's identity provider (CreateIdentityProvider)."""

    KIND: ClassVar[str] = "identity provider"

    ProviderName: str = setting()
    ProviderType: Literal["SAML", "OIDC", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple"] = setting()
    ProviderDetails: dict[str, str] = setting(factory=dict, coerce=True)
    AttributeMapping: dict[str, str] = setting(factory=dict)
    IdpIdentifiers: list[str] = setting(factory=list)


@dataclass(kw_only=True, eq=False, repr=False)
class TokenUnits(Located):
    """A client's TokenValidityUnits."""

    KIND: ClassVar[str] = "token validity units"

    AccessToken: TimeUnit = setting("hours")
    IdToken: TimeUnit = setting("hours")
    RefreshToken: TimeUnit = setting("days")


@dataclass(kw_only=True, eq=False, repr=False)
class UserPoolClient(Located):
    """A user pool app client (CreateUserPoolClient)."""

    KIND: ClassVar[str] = "user pool client"

    ClientName: str = setting()
    GenerateSecret: bool = setting(False)
    CallbackURLs: list[str] = setting(factory=list)
    LogoutURLs: list[str] = setting(factory=list)
    DefaultRedirectURI: str | None = setting(None)
    SupportedIdentityProviders: list[str] = setting(factory=list)
    AllowedOAuthFlows: list[Literal["code", "implicit", "client_credentials"]] = setting(factory=list)
    AllowedOAuthScopes: list[str] = setting(factory=list)
    AllowedOAuthFlowsUserPoolClient: bool = setting(False)
    ReadAttributes: list[str] | None = setting(None)
    WriteAttributes: list[str] | None = setting(None)
    ExplicitAuthFlows: list[str] | None = setting(None)
    AccessTokenValidity: int | None = setting(None, minimum=1)
    IdTokenValidity: int | None = setting(None, minimum=1)
    RefreshTokenValidity: int | None = setting(None, minimum=1)
    TokenValidityUnits: TokenUnits | None = setting(None)
    EnableTokenRevocation: bool = setting(True)
    AuthSessionValidity: int | None = setting(None, minimum=3, maximum=15)
    ClientId: str | None = derived("the client id (stable, from the pool and the name)")
    ClientSecret: str | None = derived("the client secret when GenerateSecret")


@dataclass(kw_only=True, eq=False, repr=False)
class PoolGroup(Located):
    """A user pool group (CreateGroup)."""

    KIND: ClassVar[str] = "user pool group"

    GroupName: str = setting()
    Description: str | None = setting(None)
    Precedence: int | None = setting(None, minimum=0)
    RoleArn: str | None = setting(None)


# ---- Lambda functions and user-pool triggers (issue 14; mock_cognito.triggers runs them) ---------

@dataclass(kw_only=True, eq=False, repr=False)
class Function(Located):
    """A Lambda function the world runs as a user-pool trigger."""

    KIND: ClassVar[str] = "Lambda function"

    FunctionName: str = setting()
    Runtime: Literal["python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
                     "nodejs18.x", "nodejs20.x", "nodejs22.x"] = setting()
    Handler: str = setting("index.handler", doc="<file>.<function>")
    Code: dict[str, str] | None = setting(None, doc="{ZipFile: <source>} (the file is index.py / index.js)")
    CodeUri: str | None = setting(None, doc="a directory holding the handler's files (relative to the world file)")
    Timeout: int = setting(3, minimum=1, maximum=900, doc="seconds (Lambda's default: 3)")
    Environment: dict[str, Any] | None = setting(None, doc="{Variables: {NAME: value}}")

    def normalise(self, check: Check) -> None:
        """``Code.ZipFile`` (inline source, CloudFormation) or ``CodeUri`` (a directory, SAM): one of them."""
        inline = (self.Code or {}).get("ZipFile")
        if bool(inline) == bool(self.CodeUri):
            check.error("a function needs exactly one of Code.ZipFile (inline source) and CodeUri (a directory)")
            return
        if self.CodeUri:
            base = os.path.dirname(check.file) if check.file and not check.file.startswith("<") else os.getcwd()
            folder = os.path.abspath(os.path.join(base, self.CodeUri))
            if not os.path.isdir(folder):
                check.error(f"CodeUri {self.CodeUri!r} is not a directory (looked at {folder})", "CodeUri")
            self.CodeUri = folder
        if "." not in (self.Handler or ""):
            check.error(f"Handler {self.Handler!r} must be <file>.<function>, e.g. index.handler", "Handler")


@dataclass(kw_only=True, eq=False, repr=False)
class PreTokenTrigger(Located):
    """A pool's PreTokenGenerationConfig (the trigger's ARN and event version)."""

    KIND: ClassVar[str] = "PreTokenGenerationConfig"

    LambdaArn: str = setting()
    LambdaVersion: Literal["V1_0", "V2_0", "V3_0"] = setting("V1_0")


@dataclass(kw_only=True, eq=False, repr=False)
class PoolUser(Located):
    """A native user of a user pool (AdminCreateUser)."""

    KIND: ClassVar[str] = "native user of a user pool"

    Username: str = setting()
    Attributes: dict[str, str] = setting(factory=dict, coerce=True, doc="name -> value (email, custom:x)")
    Password: str | None = setting(None, doc="a permanent password (status CONFIRMED)")
    TemporaryPassword: str | None = setting(None, doc="a temporary one (status FORCE_CHANGE_PASSWORD)")
    Enabled: bool = setting(True)


@dataclass(kw_only=True, eq=False, repr=False)
class Triggers(Located):
    """A user pool's LambdaConfig: which function each trigger calls."""

    KIND: ClassVar[str] = "LambdaConfig"

    PreSignUp: str | None = setting(None)
    PostConfirmation: str | None = setting(None)
    PreAuthentication: str | None = setting(None)
    PostAuthentication: str | None = setting(None)
    PreTokenGeneration: str | None = setting(None)
    PreTokenGenerationConfig: PreTokenTrigger | None = setting(None)


@dataclass(kw_only=True, eq=False, repr=False)
class UserPool(Located):
    """A Cognito user pool with its domain, identity providers, clients, groups and users."""

    KIND: ClassVar[str] = "user pool"

    PoolName: str = setting()
    Schema: list[SchemaAttribute] = setting(factory=list)
    UsernameAttributes: list[Literal["email", "phone_number"]] | None = setting(None)
    AliasAttributes: list[str] | None = setting(None)
    UsernameConfiguration: dict[str, Any] | None = setting(None)
    Domain: str | None = setting(None, doc="the hosted UI domain prefix (or a custom domain)")
    IdentityProviders: list[IdentityProvider] = setting(factory=list)
    Clients: list[UserPoolClient] = setting(factory=list)
    Groups: list[PoolGroup] = setting(factory=list)
    LambdaConfig: Triggers | None = setting(None, doc="triggers: ${function:<name>.arn} of aws.Functions")
    Users: list[PoolUser] = setting(factory=list,
                                    doc="native users (AdminCreateUser), e.g. for the password form or account linking")
    Id: str | None = derived("the pool id (<region>_<9 characters>)")
    Arn: str | None = derived("the pool ARN")
    issuer: str | None = derived("the pool's token issuer URL")
    sp_entity_id: str | None = derived("the pool's SAML SP entity id (urn:amazon:cognito:sp:<id>)")
    domain_host: str | None = derived("the hosted UI's host name, when the pool has a Domain")
    domain_url: str | None = derived("https:// and domain_host")


@dataclass(kw_only=True, eq=False, repr=False)
class SamlProvider(Located):
    """An IAM SAML identity provider (CreateSAMLProvider)."""

    KIND: ClassVar[str] = "IAM SAML provider"

    Name: str = setting()
    SAMLMetadataDocument: str = setting()
    Arn: str | None = derived("the provider ARN")


@dataclass(kw_only=True, eq=False, repr=False)
class Role(Located):
    """An IAM role (CreateRole)."""

    KIND: ClassVar[str] = "IAM role"

    RoleName: str = setting()
    AssumeRolePolicyDocument: Any = setting(doc="a policy (mapping) or its JSON")
    MaxSessionDuration: int = setting(3600, minimum=3600, maximum=43200)
    Description: str = setting("")
    Path: str = setting("/")
    Arn: str | None = derived("the role ARN")


@dataclass(kw_only=True, eq=False, repr=False)
class IamUser(Located):
    """An IAM user, optionally with one access key."""

    KIND: ClassVar[str] = "IAM user"

    UserName: str = setting()
    AccessKey: bool = setting(False, doc="make one access key (its id and secret are stable)")
    Policies: list[Any] = setting(factory=list)
    Arn: str | None = derived("the user ARN")
    AccessKeyId: str | None = derived("the access key id, when AccessKey")
    SecretAccessKey: str | None = derived("the secret access key, when AccessKey")


@dataclass(kw_only=True, eq=False, repr=False)
class AuthenticateCognito(Located):
    """An ALB listener's authenticate-cognito action."""

    KIND: ClassVar[str] = "authenticate-cognito action"

    UserPoolArn: str = setting()
    UserPoolClientId: str = setting()
    UserPoolDomain: str = setting()
    Scope: str = setting("openid")
    SessionCookieName: str = setting("AWSELBAuthSessionCookie")
    SessionTimeout: int = setting(604800, minimum=1)
    OnUnauthenticatedRequest: Literal["deny", "allow", "authenticate"] = setting("authenticate")
    AuthenticationRequestExtraParams: dict[str, str] = setting(factory=dict)


@dataclass(kw_only=True, eq=False, repr=False)
class LoadBalancer(Located):
    """An Application Load Balancer that authenticates with a user pool."""

    KIND: ClassVar[str] = "load balancer"

    Name: str = setting()
    DNSName: str = setting(doc="e.g. acme-alb-1234567890.us-east-1.elb.amazonaws.com")
    AuthenticateCognitoConfig: AuthenticateCognito = setting()
    Target: str = setting(doc="the stand-in app URL, or any upstream URL")
    url: str | None = derived("https:// and DNSName")
    Arn: str | None = derived("the load balancer ARN")


@dataclass(kw_only=True, eq=False, repr=False)
class AwsAccount(Located):
    """An AWS account: the ``aws:`` section of a world file."""

    KIND: ClassVar[str] = "AWS account"

    # 12 digits, as in IAM ARNs and the account moto answers for (a world with another id would
    # not start: issue 13, "validate must catch what up would crash on")
    account_id: str = setting("123456789012", coerce=True, pattern=r"\d{12}", type_name="a 12-digit AWS account id",
                              pattern_error="{value!r} is not an AWS account id (12 digits)")
    region: str = setting("us-east-1")
    signin_page: Literal["current", "legacy"] = setting("current",
                                                        doc="which AWS role-picker page signin.aws.amazon.com shows")
    UserPools: list[UserPool] = setting(factory=list)
    SAMLProviders: list[SamlProvider] = setting(factory=list)
    Roles: list[Role] = setting(factory=list)
    Users: list[IamUser] = setting(factory=list)
    LoadBalancers: list[LoadBalancer] = setting(factory=list)
    Functions: list[Function] = setting(factory=list, doc="Lambda functions (triggers)")
