"""world_common.ids.uuid4: the text of a random version-4 UUID, as str(uuid.uuid4()) gives."""
import uuid

from world_common.ids import uuid4


def test_uuid4_is_random_version_4_rfc_4122_text():
    made = [uuid4() for _ in range(2000)]
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text   # canonical 8-4-4-4-12 lower-case form
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert len(set(made)) == len(made)
    # Every character that is not fixed by the version/variant bits takes several values.
    varying = [i for i in range(36) if len({text[i] for text in made}) > 1]
    assert varying == [i for i in range(36) if i not in (8, 13, 14, 18, 23)]
    assert {text[19] for text in made} == set("89ab")
