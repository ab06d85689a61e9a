"""Cognito's memory of SAML assertion IDs (docs/fidelity/cognito-federation.md#cognito-federation-replay-protection):
every ID of the last day is refused a second time, however many there are; older ones are
forgotten, so the memory holds only the last day's."""
from mock_cognito.store import ASSERTION_ID_MEMORY, PRUNE_AT, Store


def test_every_id_of_the_last_day_is_remembered_past_ten_thousand():
    store = Store()
    ids = [f"_a{i}" for i in range(PRUNE_AT + 500)]
    for i, assertion_id in enumerate(ids):
        assert store.seen_assertion("pool", assertion_id, 1000.0 + i) is False
    assert all(store.seen_assertion("pool", assertion_id, 20000.0) for assertion_id in ids)
    assert store.seen_assertion("other-pool", ids[0], 20000.0) is False   # per pool


def test_ids_older_than_a_day_are_forgotten_and_the_memory_shrinks():
    store = Store()
    for i in range(50):
        store.seen_assertion("pool", f"_old{i}", 1000.0 + i)
    later = 1000.0 + 49 + ASSERTION_ID_MEMORY + 1
    assert store.seen_assertion("pool", "_new", later) is False
    assert len(store.assertion_ids) == 1
    assert store.seen_assertion("pool", "_old0", later) is False    # forgotten: taken as new
    assert store.seen_assertion("pool", "_new", later + 10) is True
