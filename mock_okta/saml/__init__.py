"""Okta as a SAML 2.0 identity provider: signing keys, metadata, responses."""
