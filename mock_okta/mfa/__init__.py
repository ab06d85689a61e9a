"""Multi-factor authentication for the org: enrolled factors, the sign-on policy that asks for
them, and the authentication transactions of ``/api/v1/authn`` and the hosted sign-in page
(docs/fidelity/okta-mfa-idx.md)."""
