"""The whole world file: an Okta org, an AWS account, and the client apps that sign in with them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .aws import AwsAccount
from .okta import OktaOrg
from .record import Located, setting


@dataclass(kw_only=True, eq=False, repr=False)
class ClientApp(Located):
    """A client application (the app stand-in) that signs in with a user pool."""

    KIND: ClassVar[str] = "client application"

    url: str = setting()
    user_pool: str = setting(doc="PoolName of the pool it signs in with")
    clients: list[str] = setting(single_ok=True, doc="ClientName(s) it uses")


@dataclass(kw_only=True, eq=False, repr=False)
class WorldRecord(Located):
    """A whole world file."""

    KIND: ClassVar[str] = "world"

    name: str = setting("world")
    okta: OktaOrg | None = setting(None)
    aws: AwsAccount | None = setting(None)
    apps: list[ClientApp] = setting(factory=list)
