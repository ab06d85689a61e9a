"""moto's backends called the way moto's own responses layer calls them, for applying a world.

A boto3 call into moto in process costs a client (botocore's JSON service model, its endpoint
resolver), a serialised request, and moto's response layer parsing it with the same service
model: about 0.3 s for a world's first dozen calls, most of a world's start. These objects take
the same keyword arguments as boto3's ``cognito-idp`` and ``iam`` clients for the operations
:mod:`.apply` uses and hand them to moto's backend exactly as ``moto.cognitoidp.responses``
and ``moto.iam.responses`` (moto 5.2) do, so what a user's boto3 or AWS CLI later reads back
(``describe_user_pool``, ``describe_user_pool_client``, ``get_role``, ...) is the same; the
test ``tests/foundation/test_moto_direct.py`` compares both paths' results call by call.

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import json
from typing import Any

from .backends import cognito_backend, iam_backend
from .server import _share_moto_pool_key


def _as_json(kwargs: dict) -> dict:
    """The arguments as moto's JSON-protocol responses see them: decoded from the request body
    (plain dicts, lists, str, int and bool, whatever record types the world used)."""
    return json.loads(json.dumps(kwargs))


class CognitoIdp:
    """The ``cognito-idp`` operations a world is applied with (moto.cognitoidp.responses)."""

    def __init__(self, account_id: str, region: str) -> None:
        _share_moto_pool_key()
        self.backend = cognito_backend(account_id, region)

    # moto's responses read ``self.parameters`` (the whole decoded body, afresh on each read),
    # so the name arguments it pops stay in the stored configuration, as they do here.
    def create_user_pool(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        pool = self.backend.create_user_pool(params["PoolName"], params)
        return {"UserPool": {"Id": pool.id}}

    def create_user_pool_domain(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        self.backend.create_user_pool_domain(params["UserPoolId"], params["Domain"],
                                             params.get("CustomDomainConfig"))
        return {}

    def create_identity_provider(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        self.backend.create_identity_provider(params["UserPoolId"], params["ProviderName"], params)
        return {}

    def create_group(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        self.backend.create_group(params["UserPoolId"], params["GroupName"], params.get("Description"),
                                  params.get("RoleArn"), params.get("Precedence"))
        return {}

    def admin_create_user(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        self.backend.admin_create_user(params["UserPoolId"], params["Username"], params.get("MessageAction"),
                                       params.get("TemporaryPassword"), params.get("UserAttributes", []))
        return {}

    def admin_set_user_password(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        self.backend.admin_set_user_password(params["UserPoolId"], params["Username"], params["Password"],
                                             params.get("Permanent"))
        return {}

    def admin_disable_user(self, **kwargs: Any) -> dict:
        self.backend.admin_disable_user(kwargs["UserPoolId"], kwargs["Username"])
        return {}

    def create_user_pool_client(self, **kwargs: Any) -> dict:
        params = _as_json(kwargs)
        made = self.backend.create_user_pool_client(params["UserPoolId"], params.get("GenerateSecret", False),
                                                    params)
        return {"UserPoolClient": {"ClientId": made.id}}


class Iam:
    """The ``iam`` operations a world is applied with (moto.iam.responses)."""

    def __init__(self, account_id: str, region: str) -> None:
        self.backend = iam_backend(account_id)
        # moto's IAM responses take the region from the request's signature; IAM's is its
        # partition's global region, and only the partition is used (the users' ARNs).
        self.region = region

    def create_saml_provider(self, *, Name: str, SAMLMetadataDocument: str) -> dict:
        return {"SAMLProviderArn": self.backend.create_saml_provider(Name, SAMLMetadataDocument).arn}

    def create_role(self, *, RoleName: str, AssumeRolePolicyDocument: str, Path: str | None = None,
                    Description: str | None = None, MaxSessionDuration: int = 3600) -> dict:
        self.backend.create_role(RoleName, AssumeRolePolicyDocument, Path, None, Description, [],
                                 MaxSessionDuration)
        return {}

    def create_user(self, *, UserName: str) -> dict:
        self.backend.create_user(self.region, user_name=UserName, path=None, tags=[])
        return {}

    def put_user_policy(self, *, UserName: str, PolicyName: str, PolicyDocument: str) -> dict:
        self.backend.put_user_policy(UserName, PolicyName, PolicyDocument)
        return {}

    def create_access_key(self, *, UserName: str) -> dict:
        return {"AccessKey": {"AccessKeyId": self.backend.create_access_key(UserName).access_key_id}}
