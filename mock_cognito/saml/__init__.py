"""Cognito as a SAML 2.0 service provider (docs/fidelity/cognito-federation.md#cognito-federation-saml): IdP metadata, AuthnRequests over
HTTP-Redirect, response validation at ``/saml2/idpresponse``, decryption, single logout.

Protocol logic only; ``mock_cognito.hosted_ui`` is the Flask glue.
"""
