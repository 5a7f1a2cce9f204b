"""Cleaning of user text: on the way in and again on the way out (docs/architecture.md, "Security rules").

Textual passes C0/C1 control characters through to the terminal, so an
``ESC]52`` in a note could write the clipboard and ``ESC[2J`` could clear the
screen. Bidi and other format controls can make text read differently from what
is stored. All of them are removed; newline and tab are kept where allowed.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f"  # C0 except tab and newline, and DEL
    "\x80-\x9f"  # C1 (0x9b is a one-byte CSI)
    "\u061c\u200b-\u200f"  # Arabic letter mark, zero-width, LRM/RLM
    "\u202a-\u202e\u2060-\u2069"  # bidi embeddings/overrides, isolates, invisible operators
    "\ufeff\ufff9-\ufffb"  # BOM, interlinear annotation
    "]"
)


def clean_text(text: str, *, multiline: bool = True) -> str:
    """Remove control and format characters; normalise line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # Remaining Unicode format characters (category Cf) other than the above.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf" or ch in "\u200d")
    if not multiline:
        text = " ".join(text.replace("\t", " ").split("\n"))
    return text


def clean_line(text: str) -> str:
    """A single-line field: no newlines or tabs, outer spaces trimmed."""
    return clean_text(text, multiline=False).strip()
