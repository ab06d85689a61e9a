import pytest

TOKEN = "00harness-default-world-api-token-0000000000"


@pytest.fixture
def w(world):
    """The running default world with a cookie jar emptied before and after the test."""
    world.http.cookies.clear()
    yield world
    world.http.cookies.clear()


@pytest.fixture
def api(w):
    """``api(path, token=TOKEN, **params)`` → the GET response from the world's Okta org."""
    def get(path, token=TOKEN, **params):
        headers = {"Authorization": f"SSWS {token}"} if token else {}
        return w.http.get(w.world.okta.org_url + path, headers=headers, params=params, timeout=15)
    return get
