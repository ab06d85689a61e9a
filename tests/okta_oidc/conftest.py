"""Fixtures for the Okta OpenID Provider tests."""
from __future__ import annotations

import pytest

from harness import internet


@pytest.fixture
def http(world):
    """A browser-like HTTP client of its own (cookies do not leak between tests), routed to the
    world's hosts like ``world.http``."""
    session = internet.routed_session(world.port, world.world.hosts(), world.ca_file)
    yield session
    session.close()
