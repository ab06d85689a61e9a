"""Helpers for the IaC tests."""


def comparable(world) -> dict:
    """A world as plain data, lists of named items in name order, without its name."""
    keys = ("login", "label", "name", "PoolName", "ClientName", "ProviderName", "RoleName", "Name", "url")

    def norm(value):
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [norm(v) for v in value]
            if items and all(isinstance(i, dict) for i in items):
                key = next((k for k in keys if all(k in i for i in items)), None)
                if key:
                    items.sort(key=lambda i: str(i[key]))
            return items
        return value

    data = norm(world.record.to_dict())
    data.pop("name", None)
    return data
