"""``application/x-www-form-urlencoded`` text (query strings and form bodies) parsed as werkzeug
parses it, ``urllib.parse.parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")``,
with a shorter road for ASCII text (every form and query a world receives from a client that
percent-encodes, as browsers and HTTP libraries do).

Why: ``parse_qsl``'s ``unquote`` first splits each value into its ASCII and non-ASCII runs with a
regular expression, then percent-decodes each ASCII run. For an all-ASCII value the split is one
run, the whole value, so the result is ``unquote_to_bytes(value).decode("utf-8", errors)``; the
regular expression's pass over a Cognito ACS's ~12 KB ``SAMLResponse`` is ~40 % of the cost of
reading that form (parse_qsl ~23-25 us -> ~14 us, measured in process, 12.4 KB body with 33
escapes). Text with a non-ASCII character takes ``parse_qsl`` itself. tests/foundation/
test_flask_app.py pins the result to ``parse_qsl``'s for a corpus of awkward inputs.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, unquote_to_bytes

import werkzeug.urls  # noqa: F401  (registers the "werkzeug.url_quote" codec error handler used below)
from werkzeug.formparser import FormDataParser

URLENCODED = "application/x-www-form-urlencoded"
ERRORS = "werkzeug.url_quote"   # werkzeug's handler: undecodable bytes stay percent-encoded


def parse(text: str, errors: str = ERRORS) -> list[tuple[str, str]]:
    """The (name, value) pairs of ``text``, as ``parse_qsl(text, keep_blank_values=True,
    errors=errors)`` returns them (fields split on ``&``, empty fields skipped, a field without
    ``=`` has the value "", ``+`` is a space, then percent-decoding as UTF-8). ``errors`` is
    werkzeug's by default; ``"replace"`` is ``parse_qsl``'s own (Okta's AuthnRequest reader)."""
    if not text.isascii():
        return parse_qsl(text, keep_blank_values=True, errors=errors)
    pairs = []
    for field in text.split("&"):
        if field:
            name, _, value = field.partition("=")
            pairs.append((_unquote(name.replace("+", " "), errors), _unquote(value.replace("+", " "), errors)))
    return pairs


def _unquote(text: str, errors: str) -> str:
    """``urllib.parse.unquote(text, errors=errors)`` for ASCII ``text``: its single ASCII run,
    percent-decoded to bytes and read as UTF-8."""
    if "%" not in text:
        return text
    return unquote_to_bytes(text).decode("utf-8", errors)


class FormParser(FormDataParser):
    """werkzeug's form parser; an urlencoded body is read with :func:`parse`. The rest of
    ``FormDataParser.parse`` (werkzeug 3.1) as it is: multipart and other types go to it, a
    ``ValueError`` (a body that is not UTF-8) gives an empty form unless ``silent`` is off, and
    ``max_form_memory_size``/``max_form_parts`` do not apply to urlencoded bodies there either
    (the stream is already limited to ``max_content_length``)."""

    def parse(self, stream, mimetype, content_length, options=None):
        if mimetype != URLENCODED:
            return super().parse(stream, mimetype, content_length, options)
        try:
            return stream, self.cls(parse(stream.read().decode())), self.cls()
        except ValueError:
            if not self.silent:
                raise
        return stream, self.cls(), self.cls()
