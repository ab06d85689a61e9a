"""The org's HTML pages: the sign-in page, the auto-post form, error pages."""
