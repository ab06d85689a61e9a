"""Fixtures of the Cognito tests."""
from __future__ import annotations

import pytest
from cognito_helpers import Cognito


@pytest.fixture
def cognito(world):
    client = Cognito(world)
    yield client
    client.http.close()
