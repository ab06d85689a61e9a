"""Cognito's hosted UI and OAuth 2.0 endpoints on each pool's domain (cognito.md §5).

Contract with mock_cognito.app: :func:`create_apps` returns host -> WSGI app, one per pool
domain.
"""
from __future__ import annotations


def create_apps(aws, services) -> dict:
    return {}
