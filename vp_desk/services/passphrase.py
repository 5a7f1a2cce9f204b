"""Passphrase rules (docs/architecture.md, "Security rules": NIST SP 800-63B) and where to read one from."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vp_desk.errors import UsageError
from vp_desk.i18n import lookup, register

MIN_LENGTH = 15
MIN_SCORE = 3
ZXCVBN_LIMIT = 72  # zxcvbn raises on longer input
ENV_PASSPHRASE = "VP_DESK_PASSPHRASE"
ENV_PASSPHRASE_FILE = "VP_DESK_PASSPHRASE_FILE"


#: Published passphrases: the demo's (docs/en/getting-started.md) is public.
PUBLISHED = frozenset({"vertrouwelijk-demo"})

#: Words a passphrase must be more than (Dutch and English). A passphrase that
#: is only these words, repeated or joined, with digits and punctuation
#: around them ("Zomer2025Zomer2025", "Password1234567!") is refused, whatever
#: zxcvbn's score: attackers try exactly these first.
BLOCKED_WORDS = frozenset(
    """
    vertrouwenspersoon vertrouwenspersonen vertrouwelijk vertrouwen vp vpdesk desk demo
    wachtwoord wachtzin geheim welkom hallo test admin beheer gebruiker
    zomer winter lente herfst voorjaar najaar januari februari maart april mei juni juli
    augustus september oktober november december maandag dinsdag woensdag donderdag vrijdag
    zaterdag zondag ikhouvanjou liefde
    password passphrase passw0rd secret welcome hello letmein admin user qwerty azerty
    summer spring autumn fall monday friday iloveyou love dragon monkey sunshine
    abc abcd abcdef
    """.split()
)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def _letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalpha() and ch.isascii())


def _only_blocked_words(passphrase: str, extra: Iterable[str] = ()) -> bool:
    """True when the letters of ``passphrase`` (digits and punctuation
    dropped, or read as letters: 'Passw0rd') are only blocked words."""
    words = BLOCKED_WORDS | {w for w in (_letters(x) for x in extra) if len(w) >= 3}
    for core in {_letters(passphrase), _letters(passphrase.casefold().translate(_LEET))}:
        if not core:
            continue
        # Can ``core`` be cut into blocked words? (dynamic programming)
        ends = [True] + [False] * len(core)
        for i in range(len(core)):
            if ends[i]:
                for word in words:
                    if core.startswith(word, i):
                        ends[i + len(word)] = True
        if ends[-1]:
            return True
    return False


def _user_words(user_inputs: Iterable[str]) -> list[str]:
    """The user's own words (organisation names, the folder path) for zxcvbn:
    each whole, and each word of it, cut to zxcvbn's limit."""
    found: list[str] = []
    for text in user_inputs:
        text = str(text)[:ZXCVBN_LIMIT]
        found.append(text)
        found += [w for w in re.split(r"[\W_]+", text) if len(w) >= 3]
    return list(dict.fromkeys(found))[:200]


@dataclass(frozen=True)
class Strength:
    ok: bool
    score: int  # 0..4 (zxcvbn)
    problems: tuple[str, ...]  # message keys: too_short, too_weak, too_common
    warning: str  # zxcvbn's own feedback, English
    suggestions: tuple[str, ...]


def strength(passphrase: str, user_inputs: Iterable[str] = ()) -> Strength:
    """Judge a new passphrase: at least 15 characters and not obviously weak.

    Refused too: the published demo passphrase, and a passphrase made only of
    common Dutch and English words with digits around them. ``user_inputs``
    (organisation names, the data folder) are words zxcvbn must count as known.
    """
    from zxcvbn import zxcvbn

    user_words = _user_words(user_inputs)
    problems = []
    if len(passphrase) < MIN_LENGTH:
        problems.append("too_short")
    result = zxcvbn(passphrase[:ZXCVBN_LIMIT], user_inputs=user_words) if passphrase else None
    score = int(result["score"]) if result else 0
    common = passphrase.strip().casefold() in PUBLISHED or _only_blocked_words(
        passphrase, user_words
    )
    if common:
        problems.append("too_common")
        score = min(score, MIN_SCORE - 1)
    elif passphrase and score < MIN_SCORE:
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
    "too_short": (
        f"Gebruik minstens {MIN_LENGTH} tekens; een zin van een paar woorden werkt goed.",
        f"Use at least {MIN_LENGTH} characters; a sentence of a few words works well.",
    ),
    "too_weak": (
        "Deze wachtzin is te makkelijk te raden.",
        "This passphrase is too easy to guess.",
    ),
    "too_common": (
        "Deze wachtzin is bekend of bestaat alleen uit veelgebruikte woorden en cijfers; "
        "kies eigen woorden.",
        "This passphrase is published or made only of common words and digits; "
        "choose words of your own.",
    ),
}


register("vp_desk.services.passphrase", STRENGTH_MESSAGES)


def strength_message(problem: str, lang: str) -> str:
    return lookup(STRENGTH_MESSAGES, problem, lang)


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
        raise UsageError(key="err_passphrase_file_unreadable", path=path) from None
    value = line.rstrip("\r\n")
    if not value:
        raise UsageError(key="err_passphrase_file_empty", path=path)
    return value
