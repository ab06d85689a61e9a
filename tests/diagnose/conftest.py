import pytest


@pytest.fixture(autouse=True)
def _no_world_running(_harness_world_pool):
    """`harness diagnose --probe` starts its own world; moto allows one per process, so the
    pytest plugin's shared world (started by another test in this worker) must stop first."""
    _harness_world_pool.close()
    yield
