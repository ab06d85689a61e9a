"""The only door to moto: the AWS control plane of a world.

A world is applied as the AWS API calls a user's IaC would make, handed to moto's backends the
way moto's responses layer hands them (:mod:`.direct`: no boto3 client, no botocore service
model, no request to parse); reads on the hot path go to moto's backend objects in process
(microseconds instead of a millisecond-scale HTTP round trip).
moto's quirks stay here:

* moto's pool ids (``<region>_<32 hex>``), client ids and access keys do not look like AWS's
  and change every run; the harness gives them realistic, stable values (``world_common.urls``)
  by re-keying moto's objects right after creating them.
* moto keeps every account's state in module-level dictionaries, so one process holds one world
  at a time; :func:`reset` clears it between worlds.

moto itself is imported inside the functions that use it, on purpose: importing its models takes
most of a second, and processes that load this module without touching moto's backend (diagnose
without --probe, explain, validate) should not pay for it.
"""
from __future__ import annotations

from .apply import apply_world  # noqa: F401
from .backends import (  # noqa: F401
    account_alias,
    app_client,
    assume_role_credentials,
    cognito_backend,
    iam_backend,
    iam_role,
    identity_provider,
    pool_domain_host,
    saml_provider_metadata,
    user_pool,
    user_pool_for_domain,
)
from .server import client, log, reset, wsgi_app  # noqa: F401
from .users import (  # noqa: F401
    add_link,
    find_user,
    links,
    password_matches,
    remove_link,
    save_federated_user,
    set_permanent_password,
)
from .views import client_view, pool_view  # noqa: F401

__all__ = ['account_alias', 'add_link', 'app_client', 'apply_world', 'assume_role_credentials', 'client', 'client_view', 'cognito_backend', 'find_user', 'iam_backend', 'iam_role', 'identity_provider', 'links', 'log', 'password_matches', 'pool_domain_host', 'pool_view', 'remove_link', 'reset', 'saml_provider_metadata', 'save_federated_user', 'set_permanent_password', 'user_pool', 'user_pool_for_domain', 'wsgi_app']
