"""The screens of the desk, one per module.

Screens written by other parts of the project are reached through
``optional_screen``: a lazy import, so a module that is not there yet gives a
clear "not available" notice instead of an ImportError.
"""

from __future__ import annotations

import importlib
from typing import Any


def optional_screen(module: str, attribute: str) -> Any | None:
    """``vp_desk.tui.screens.<module>.<attribute>``, or None if it does not exist (yet)."""
    name = f"{__name__}.{module}"
    try:
        found = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    return getattr(found, attribute, None)
