"""Okta's "AWS Account Federation" app (okta-aws.md §4): which roles a user gets and the
attributes its SAML assertion carries.

Contract with the SAML response builder: :func:`saml_attributes` returns the extra
``(Name, NameFormat, [values])`` attribute statements for an ``AWS`` app, or raises
:class:`NoRoles` when the user would get none.
"""
from __future__ import annotations


class NoRoles(Exception):
    """The user is assigned but no role can be sent."""


def saml_attributes(org, app, user, services) -> list[tuple[str, str, list[str]]]:
    raise NotImplementedError("the AWS app's attributes are built in issue 6")
