import pytest


@pytest.fixture
def w(world):
    """The running world with a cookie jar emptied before and after the test."""
    world.http.cookies.clear()
    yield world
    world.http.cookies.clear()
