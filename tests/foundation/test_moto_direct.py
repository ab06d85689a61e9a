"""A world applied straight to moto's backends (what every start does) reads back through the
AWS API exactly as the same world applied through boto3 over HTTP: every pool, domain, identity
provider, group, native user, app client, SAML provider, role, IAM user, policy and access key,
with the same ids, ARNs and attributes. Only what moto makes afresh on every write differs
(timestamps, random role/user ids, a user's ``sub``, the domain's ``AWSAccountId``, which moto
makes a random UUID); those are masked, and roles (kept by random id) are compared by name."""
from __future__ import annotations

import datetime
import pathlib

import pytest

import harness
from harness.world import load
from mock_cognito import moto_adapter

HERE = pathlib.Path(__file__).parent
WORLDS = [None, HERE / "worlds" / "aws_every_field.yaml", HERE.parent / "cognito" / "worlds" / "external_idp.yaml",
          HERE.parent / "cognito" / "worlds" / "triggers.yaml"]
RANDOM_IDS = {"RoleId", "UserId", "AWSAccountId"}


def _masked(value):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "ResponseMetadata":
                continue
            out[key] = "<random>" if key in RANDOM_IDS else _masked(item)
        if out.get("Name") == "sub" and "Value" in out:
            out["Value"] = "<random>"
        return out
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, datetime.datetime):
        return "<date>"
    return value


def _user(idp, pool_id: str, username: str) -> dict:
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    user["Groups"] = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    if attributes.get("sub") == username:   # a pool whose usernames are emails names users by sub
        user["Username"] = "<sub>"
    return user


def _cognito(idp) -> dict:
    seen: dict = {}
    for listed in idp.list_user_pools(MaxResults=60)["UserPools"]:
        pool_id = listed["Id"]
        pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        seen[pool_id] = {
            "pool": pool,
            "domain": idp.describe_user_pool_domain(Domain=pool["Domain"]) if pool.get("Domain") else None,
            "clients": [idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=c["ClientId"])
                        for c in idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]],
            "providers": [idp.describe_identity_provider(UserPoolId=pool_id, ProviderName=p["ProviderName"])
                          for p in idp.list_identity_providers(UserPoolId=pool_id, MaxResults=60)["Providers"]],
            "groups": idp.list_groups(UserPoolId=pool_id)["Groups"],
            "users": [_user(idp, pool_id, u["Username"]) for u in idp.list_users(UserPoolId=pool_id)["Users"]],
        }
    return seen


def _iam(iam) -> dict:
    users = {}
    for user in iam.list_users()["Users"]:
        name = user["UserName"]
        users[name] = {
            "user": iam.get_user(UserName=name)["User"],
            "policies": [iam.get_user_policy(UserName=name, PolicyName=p)
                         for p in iam.list_user_policies(UserName=name)["PolicyNames"]],
            "keys": iam.list_access_keys(UserName=name)["AccessKeyMetadata"],
        }
    return {
        "saml_providers": [dict(p, Document=iam.get_saml_provider(SAMLProviderArn=p["Arn"]))
                           for p in iam.list_saml_providers()["SAMLProviderList"]],
        "roles": [iam.get_role(RoleName=name)["Role"]
                  for name in sorted(r["RoleName"] for r in iam.list_roles()["Roles"])],
        "users": users,
    }


def _snapshot(running) -> dict:
    region = running.world.aws.region
    idp = moto_adapter.client("cognito-idp", running.aws_endpoint_url, region)
    iam = moto_adapter.client("iam", running.aws_endpoint_url, region)
    return _masked({"cognito": _cognito(idp), "iam": _iam(iam)})


@pytest.mark.parametrize("path", WORLDS, ids=lambda p: p.name if p else "default")
def test_direct_apply_reads_back_as_the_api_path(path):
    world = load(path)
    with harness.start(world) as running:
        direct = _snapshot(running)
        moto_adapter.reset()
        moto_adapter.apply_world(world.aws, endpoint_url=running.aws_endpoint_url)
        through_api = _snapshot(running)
    assert direct["cognito"], "the world applied no user pool"
    assert direct == through_api


def test_every_field_reaches_moto():
    """The comparison above would pass if both paths dropped a field; this pins what the
    direct path stores for the world that sets every field."""
    world = load(WORLDS[1])
    pool_record = world.aws.UserPools[0]
    with harness.start(world) as running:
        seen = _snapshot(running)
    pool = seen["cognito"][pool_record.Id]
    assert pool["pool"]["Arn"] == pool_record.Arn
    assert pool["pool"]["UsernameAttributes"] == ["email"]
    assert pool["pool"]["UsernameConfiguration"] == {"CaseSensitive": False}
    level = next(a for a in pool["pool"]["SchemaAttributes"] if a["Name"] == "dev:custom:level")
    assert level["NumberAttributeConstraints"] == {"MinValue": "0", "MaxValue": "9"}
    assert level["DeveloperOnlyAttribute"] is True
    assert pool["domain"]["DomainDescription"]["UserPoolId"] == pool_record.Id
    confidential = next(c["UserPoolClient"] for c in pool["clients"]
                        if c["UserPoolClient"]["ClientName"] == "confidential")
    record = next(c for c in pool_record.Clients if c.ClientName == "confidential")
    assert (confidential["ClientId"], confidential["ClientSecret"]) == (record.ClientId, record.ClientSecret)
    assert confidential["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes",
                                                  "RefreshToken": "days"}
    assert confidential["EnableTokenRevocation"] is False
    provider = pool["providers"][0]["IdentityProvider"]
    assert (provider["ProviderName"], provider["IdpIdentifiers"]) == ("Corp", ["corp.example"])
    admins = next(g for g in pool["groups"] if g["GroupName"] == "admins")
    assert (admins["Precedence"], admins["RoleArn"]) == (1, "arn:aws:iam::210987654321:role/admin")
    status = {next(a["Value"] for a in u["UserAttributes"] if a["Name"] == "email"): (u["UserStatus"], u["Enabled"])
              for u in pool["users"]}
    assert status == {"ann@corp.example": ("CONFIRMED", True), "bob@corp.example": ("FORCE_CHANGE_PASSWORD", True),
                      "cid@corp.example": ("CONFIRMED", False)}
    role = seen["iam"]["roles"][0]
    assert (role["Arn"], role["MaxSessionDuration"], role["Description"]) == (
        world.aws.Roles[0].Arn, 7200, "admins from Corp")
    lister = seen["iam"]["users"]["lister"]
    assert [k["AccessKeyId"] for k in lister["keys"]] == [world.aws.Users[0].AccessKeyId]
    assert len(lister["policies"]) == 2


def test_moto_signs_its_own_tokens_with_the_shared_pool_key():
    """moto parses its pool key on first use (mock_cognito.moto_adapter.server); a user's
    AdminInitiateAuth through moto still gets tokens that moto's published key verifies."""
    from joserfc import jwk, jwt
    from moto.utilities.utils import load_resource

    world = load(WORLDS[1])
    pool = world.aws.UserPools[0]
    with harness.start(world) as running:
        idp = moto_adapter.client("cognito-idp", running.aws_endpoint_url, world.aws.region)
        result = idp.admin_initiate_auth(
            UserPoolId=pool.Id, ClientId=pool.Clients[1].ClientId, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann@corp.example", "PASSWORD": "Ann-Passw0rd!"})["AuthenticationResult"]
    public = jwk.KeySet.import_key_set(load_resource("cognitoidp/resources/jwks-public.json"))
    token = jwt.decode(result["IdToken"], public)
    assert token.claims["email"] == "ann@corp.example"
