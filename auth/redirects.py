"""Where a `next` parameter may send the browser after sign-in: only to a path on this site.

Browsers are more forgiving than Python's URL parser: they drop tabs and newlines anywhere in a URL, read `\\` as
`/`, and treat `//host` as another site, so `/\\evil.example/x` and `/%09/evil.example/x` leave the site although
they start with one slash. Rather than list what is dangerous, this accepts only what a path of ours looks like, in
every percent-decoded layer of the value: one leading `/`, no empty or dot segments, no backslash, no scheme or host,
no control, format (bidi, zero-width) or separator characters.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

DEFAULT_AFTER_SIGN_IN = '/paasivu'
# Going back to these after signing in would only sign in again or out: not a useful destination.
_NOT_A_DESTINATION = ('/kirjaudu', '/saml/', '/test-idp/')
_MAX_LENGTH = 2000
_MAX_DECODING_ROUNDS = 4  # `%25` nested deeper than this is refused rather than followed


def _is_plain_local_path(value: str) -> bool:
    if not value.startswith('/') or value.startswith('//') or '\\' in value:
        return False
    if any(unicodedata.category(char)[0] in 'CZ' for char in value):  # controls, bidi, zero-width, spaces
        return False
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return False
    segments = parts.path.split('/')[1:]
    # `/.//evil` resolves to a path that starts with `//`: no empty or dot segments (a trailing slash is fine).
    return all(segment not in ('', '.', '..') for segment in segments[:-1]) and segments[-1] not in ('.', '..')


def safe_local_path(value: str | None, default: str = DEFAULT_AFTER_SIGN_IN) -> str:
    """`value` when it is a path on this site, otherwise `default`."""
    if not value or len(value) > _MAX_LENGTH:
        return default
    layer = value
    for _ in range(_MAX_DECODING_ROUNDS):
        if not _is_plain_local_path(layer) or layer.startswith(_NOT_A_DESTINATION):
            return default
        try:
            decoded = unquote(layer, errors='strict')
        except UnicodeDecodeError:
            return default
        if decoded == layer:
            return value
        layer = decoded
    return default
