"""Okta's own OAuth error page, shown when Okta cannot trust the redirect URI (docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-redirect-uri): "400 Bad Request", "Your request resulted in an error.", "Identity Provider:
Unknown", "Error Code: <code>", "Description: <text>". The page's markup beyond those texts is
unconfirmed."""
from __future__ import annotations

from html import escape

_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


def render(error, org_url: str, status: int = 400) -> str:
    reason = _REASONS.get(status, "Bad Request")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex,nofollow">
<title>{escape(org_url.split('//', 1)[-1])} - Error</title></head>
<body class="error-page">
<div class="content" id="error-content">
<h1 class="error-code">{status}</h1>
<h2 class="error-title">{reason}</h2>
<p class="error-summary">Your request resulted in an error.</p>
<div class="error-details">
<p id="idp">Identity Provider: Unknown</p>
<p id="error-code">Error Code: {escape(error.error)}</p>
<p id="error-description">Description: {escape(error.description)}</p>
</div>
<p><a class="button" href="{escape(org_url)}/">Go to Homepage</a></p>
</div>
</body></html>
"""
