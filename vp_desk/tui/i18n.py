"""Picking a UI string in the user's language.

Each screen module keeps its own table ``{key: (dutch, english)}`` beside its
code; ``pick(TABLE, key, lang, **params)`` returns the right one, formatted. It is
a thin wrapper over the one lookup, ``vp_desk.i18n.lookup`` (plural forms with
``count=``, one missing-key behaviour).
"""

from __future__ import annotations

from vp_desk.i18n import Table, lookup


def pick(table: Table, key: str, lang: str, /, *, count: object = None, **params: object) -> str:
    return lookup(table, key, lang, count=count, **params)
