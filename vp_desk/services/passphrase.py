"""Passphrase rules (docs/architecture.md, "Security rules": NIST SP 800-63B) and where to read one from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vp_desk.errors import UsageError

MIN_LENGTH = 15
MIN_SCORE = 3
ZXCVBN_LIMIT = 72  # zxcvbn raises on longer input
ENV_PASSPHRASE = "VP_DESK_PASSPHRASE"
ENV_PASSPHRASE_FILE = "VP_DESK_PASSPHRASE_FILE"


@dataclass(frozen=True)
class Strength:
    ok: bool
    score: int  # 0..4 (zxcvbn)
    problems: tuple[str, ...]  # message keys: too_short, too_weak
    warning: str  # zxcvbn's own feedback, English
    suggestions: tuple[str, ...]


def strength(passphrase: str) -> Strength:
    """Judge a new passphrase: at least 15 characters and not obviously weak."""
    from zxcvbn import zxcvbn

    problems = []
    if len(passphrase) < MIN_LENGTH:
        problems.append("too_short")
    result = zxcvbn(passphrase[:ZXCVBN_LIMIT]) if passphrase else None
    score = int(result["score"]) if result else 0
    if passphrase and score < MIN_SCORE:
        problems.append("too_weak")
    feedback = (result or {}).get("feedback", {}) if result else {}
    return Strength(
        not problems,
        score,
        tuple(problems),
        feedback.get("warning", "") or "",
        tuple(feedback.get("suggestions", []) or ()),
    )


STRENGTH_MESSAGES = {
    "too_short": {
        "nl": f"Gebruik minstens {MIN_LENGTH} tekens; een zin van een paar woorden werkt goed.",
        "en": f"Use at least {MIN_LENGTH} characters; a sentence of a few words works well.",
    },
    "too_weak": {
        "nl": "Deze wachtzin is te makkelijk te raden.",
        "en": "This passphrase is too easy to guess.",
    },
}


def strength_message(problem: str, lang: str) -> str:
    return STRENGTH_MESSAGES[problem]["nl" if lang == "nl" else "en"]


def from_environment(passphrase_file: str | os.PathLike[str] | None = None) -> str | None:
    """A passphrase from ``--passphrase-file``, VP_DESK_PASSPHRASE or
    VP_DESK_PASSPHRASE_FILE (first line of the file), else None."""
    path = passphrase_file or os.environ.get(ENV_PASSPHRASE_FILE)
    if path:
        return read_passphrase_file(path)
    value = os.environ.get(ENV_PASSPHRASE)
    if value:
        return value
    return None


def read_passphrase_file(path: str | os.PathLike[str]) -> str:
    try:
        with open(Path(path), encoding="utf-8") as fh:
            line = fh.readline()
    except (OSError, UnicodeDecodeError):
        raise UsageError(f"The passphrase file {path} cannot be read.") from None
    value = line.rstrip("\r\n")
    if not value:
        raise UsageError(
            f"The passphrase file {path} is empty; put the passphrase on its first line."
        )
    return value
