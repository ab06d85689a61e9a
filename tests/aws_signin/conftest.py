import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sts(world):
    """boto3's STS client reaching the world with nothing but ``world.env()`` (proxy + CA),
    no endpoint_url: the SDK's own default endpoint for the region."""
    env = world.env()
    config = botocore.config.Config(proxies={"https": env["HTTPS_PROXY"]}, retries={"max_attempts": 1})
    return boto3.client("sts", region_name=env["AWS_DEFAULT_REGION"], config=config, verify=env["AWS_CA_BUNDLE"],
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


def sts_error(call, **kwargs):
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]
