"""The world file's shape: the typed records of :mod:`world_common.world_model`, read into the
schema language that validates a world file (:func:`.schema.record_of`).

Field names follow what users already write: Okta's Terraform provider (``okta_app_saml``,
``okta_app_oauth``, the ``amazon_aws`` app's ``app_settings_json``) for the Okta side, and the
AWS API / CloudFormation property names (``ProviderDetails``, ``AttributeMapping``,
``CallbackURLs``...) for the AWS side, so settings copy across unchanged.
"""
from __future__ import annotations

from world_common.world_model import WorldRecord

from .schema import record_of

WORLD = record_of(WorldRecord)
