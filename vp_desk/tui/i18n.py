"""Picking a UI string in the user's language.

Each screen module keeps its own table ``{key: (dutch, english)}`` beside its
code; ``pick(TABLE, key, lang, **params)`` returns the right one, formatted.
Validation messages of the domain come from ``vp_desk.i18n.t``.
"""

from __future__ import annotations

from collections.abc import Mapping


def pick(table: Mapping[str, tuple[str, str]], key: str, lang: str, **params: object) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "nl" else pair[1]
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError):
            return text
    return text
