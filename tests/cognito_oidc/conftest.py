"""Fixtures for Cognito's OIDC federation: the second provider mounted into a running world,
and a user agent that walks /oauth2/authorize -> IdP -> /oauth2/idpresponse -> the app."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import boto3
import pytest

from harness.internet import routed_session

from .second_provider import SecondProvider

APP_CALLBACK = "https://app.example.com/callback"


@pytest.fixture
def second_idp(world):
    """The joserfc provider on https://idp.example.test, fresh behaviour for each test."""
    provider = getattr(world, "_second_provider", None)
    if provider is None:
        provider = SecondProvider(world.clock)
        world.dispatcher.add("idp.example.test", provider.app)
        world._second_provider = provider
    provider.behaviour = type(provider.behaviour)()
    provider.authorize_requests.clear()
    provider.token_requests.clear()
    provider.userinfo_methods.clear()
    yield provider


@dataclass
class Outcome:
    """Where the sign-in ended: the app callback (code or error) or a Cognito page."""
    response: object
    history: list

    @property
    def location(self) -> str:
        return self.response.headers.get("Location", "")

    @property
    def at_app(self) -> bool:
        return self.response.is_redirect and self.location.startswith(APP_CALLBACK)

    @property
    def params(self) -> dict:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.location).query).items()}


class Agent:
    """A cookie-keeping user agent on the world's routed session that stops at the app."""

    def __init__(self, running) -> None:
        self.running = running
        self.http = routed_session(running.port, running.world.hosts(), running.ca_file)

    def authorize_url(self, pool, client, provider_name: str, **extra) -> str:
        from urllib.parse import urlencode

        params = {"identity_provider": provider_name, "client_id": client.ClientId,
                  "redirect_uri": APP_CALLBACK, "response_type": "code", "scope": "openid email profile",
                  "state": "app-state-123", **extra}
        return f"{pool.domain_url}/oauth2/authorize?{urlencode(params)}"

    def get(self, url: str):
        return self.http.get(url, allow_redirects=False, timeout=15)

    def follow(self, url: str, stop=None, limit: int = 20, okta_sign_in=None) -> Outcome:
        response = self.get(url)
        history = []
        for _ in range(limit):
            history.append(response)
            if stop is not None and stop(response):
                break
            if response.is_redirect:
                nxt = urljoin(response.url, response.headers["Location"])
                if nxt.startswith(APP_CALLBACK):
                    break
                response = self.get(nxt)
                continue
            if okta_sign_in is not None:
                signed = okta_sign_in(self, response)
                if signed is not None:
                    response = signed
                    continue
            break
        return Outcome(response, history)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def agent(world):
    a = Agent(world)
    yield a
    a.close()


def cognito_idp(running):
    aws = running.world.aws
    return boto3.client("cognito-idp", endpoint_url=running.aws_endpoint_url, region_name=aws.region,
                        aws_access_key_id="AKIAHARNESSTEST00000", aws_secret_access_key="test")


def federated_users(running, pool) -> list[str]:
    users = cognito_idp(running).list_users(UserPoolId=pool.Id)["Users"]
    return sorted(u["Username"] for u in users)
