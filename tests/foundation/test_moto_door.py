"""What the world's AWS API hosts answer to a request that is no AWS API call: a 400 naming the
problem (moto alone answers an unsigned request to "/" with S3's ListAllMyBuckets), while real
calls still reach moto: signed ones, unsigned ones STS takes by design, and moto's own routes."""
from __future__ import annotations

import requests

from mock_cognito import moto_adapter

NOT_AN_API_CALL = "The request is not an AWS API call this endpoint understands"


def test_unsigned_request_naming_no_operation_is_refused(world):
    for response in (world.http.get("https://iam.amazonaws.com/", allow_redirects=False),
                     world.http.get("https://sts.amazonaws.com/?Version=2011-06-15", allow_redirects=False),
                     world.http.post("https://sts.amazonaws.com/", data={"Version": "2011-06-15"}),
                     requests.get(f"{world.aws_endpoint_url}/", timeout=10)):
        assert response.status_code == 400, response.text
        assert "<Code>InvalidAction</Code>" in response.text and NOT_AN_API_CALL in response.text
        assert "ListAllMyBuckets" not in response.text


def test_real_calls_still_reach_moto(world):
    region = world.world.aws.region
    iam = moto_adapter.client("iam", world.aws_endpoint_url, region)
    assert {r["RoleName"] for r in iam.list_roles()["Roles"]} >= {"admin", "readonly"}
    unsigned = world.http.post("https://sts.amazonaws.com/", data={
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleSessionName": "s",
        "RoleArn": world.world.aws.Roles[0].Arn, "WebIdentityToken": "token"})
    assert unsigned.status_code == 200 and "<AssumeRoleWithWebIdentityResult>" in unsigned.text
    pool = world.world.aws.UserPools[0].Id
    jwks = requests.get(f"{world.aws_endpoint_url}/{pool}/.well-known/jwks.json", timeout=10)
    assert jwks.status_code == 200 and jwks.json()["keys"]
