"""How the org reads JSON request bodies: a body it cannot parse, however it fails, is the
client's bad input (``E0000003``), never a server error.

Python's ``json`` raises ``RecursionError`` (not ``ValueError``) for an array nested a few
thousand deep, which Flask's ``get_json(silent=True)`` does not catch; this provider turns
every parse failure into the ``ValueError`` Flask expects."""
from __future__ import annotations

from flask.json.provider import DefaultJSONProvider


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
