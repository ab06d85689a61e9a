"""The Application Load Balancer's ``authenticate-cognito`` action (cognito.md §7).

Contract with mock_cognito.app: :func:`create_apps` returns host -> WSGI app (one per ALB).
"""
from __future__ import annotations


def create_apps(aws, services) -> dict:
    return {}
