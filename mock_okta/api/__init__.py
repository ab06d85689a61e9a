"""The part of Okta's REST API that command-line clients call (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api, docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients)."""
