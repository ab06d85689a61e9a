"""Cognito as a SAML 2.0 service provider (cognito.md §1): IdP metadata, AuthnRequests over
HTTP-Redirect, response validation at ``/saml2/idpresponse``, decryption, single logout.

Protocol logic only; ``mock_cognito.hosted_ui`` is the Flask glue.
"""
