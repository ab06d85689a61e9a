"""The world's typed records: what one world file says about an Okta org and an AWS account.

The harness reads a world file into these records once (``harness.world``: validation with
file:line errors, derived ids, references), and the mocks take them as they are. Each record's
fields are declared once, here; the validator walks these declarations.
"""
from .aws import (
    AuthenticateCognito,
    AwsAccount,
    Function,
    IamUser,
    IdentityProvider,
    LoadBalancer,
    PoolGroup,
    PoolUser,
    PreTokenTrigger,
    Role,
    SamlProvider,
    SchemaAttribute,
    TokenUnits,
    Triggers,
    UserPool,
    UserPoolClient,
)
from .okta import (
    ATTRIBUTE_NAME_FORMATS,
    NAMEID_FORMATS,
    ApiToken,
    AppSignOnRule,
    AttributeStatement,
    AuthorizationServer,
    AwsAppSettings,
    Factor,
    GroupsClaim,
    OidcSettings,
    OktaApp,
    OktaGroup,
    OktaOrg,
    OktaUser,
    PasswordPolicy,
    SamlSettings,
    SignOnPolicy,
    SignOnRule,
)
from .record import Check, Located
from .world import ClientApp, WorldRecord

__all__ = [
    "ATTRIBUTE_NAME_FORMATS", "NAMEID_FORMATS", "ApiToken", "AppSignOnRule", "AttributeStatement",
    "AuthenticateCognito", "AuthorizationServer", "AwsAccount", "AwsAppSettings", "Check", "ClientApp", "Factor",
    "Function", "GroupsClaim", "IamUser", "IdentityProvider", "LoadBalancer", "Located", "OidcSettings", "OktaApp",
    "OktaGroup", "OktaOrg", "OktaUser", "PasswordPolicy", "PoolGroup", "PoolUser", "PreTokenTrigger", "Role",
    "SamlProvider", "SamlSettings", "SchemaAttribute", "SignOnPolicy", "SignOnRule", "TokenUnits", "Triggers",
    "UserPool", "UserPoolClient", "WorldRecord",
]
