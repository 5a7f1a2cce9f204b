"""Search every byte left in a folder for pages a given data key decrypts.

Every file (main files, WAL, leftovers, anything) is read as SQLCipher main
file pages and as WAL frames, with the salt of every file in the folder plus
any extra salts given. A page is a hit when its HMAC verifies under the key:
the key still opens something there.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import struct
from pathlib import Path

from tests.lifecycle.sqlcipher_pages import MAC, PAGE, RESERVE, SALT, _hmac_key, decrypt_page

_key_for = functools.lru_cache(maxsize=256)(_hmac_key)


def _opens(page: bytes, pgno: int, key: bytes, salt: bytes) -> bool:
    """The page's HMAC verifies under ``key`` (the same check decrypt_page makes)."""
    body = page[SALT if pgno == 1 else 0 : PAGE - RESERVE]
    iv = page[PAGE - RESERVE : PAGE - MAC]
    expected = hmac.new(
        _key_for(key, salt), body + iv + struct.pack("<I", pgno), hashlib.sha512
    ).digest()
    return hmac.compare_digest(expected, page[PAGE - MAC :])


def _files(folder: Path) -> list[Path]:
    return [p for p in sorted(Path(folder).rglob("*")) if p.is_file() and p.name != ".lock"]


def decryptable_pages(
    folder: Path, key: bytes, extra_salts: tuple[bytes, ...] = ()
) -> list[tuple[str, int, bytes]]:
    """(file name, page number, plaintext) of every page ``key`` decrypts."""
    files = _files(folder)
    salts = {p.read_bytes()[:SALT] for p in files if p.stat().st_size >= PAGE}
    salts.update(extra_salts)
    hits = []
    for path in files:
        raw = path.read_bytes()
        candidates = [
            (i // PAGE + 1, raw[i : i + PAGE]) for i in range(0, len(raw) - PAGE + 1, PAGE)
        ]
        pos = 32
        while pos + 24 + PAGE <= len(raw):
            pgno = struct.unpack(">I", raw[pos : pos + 4])[0]
            candidates.append((pgno, raw[pos + 24 : pos + 24 + PAGE]))
            pos += 24 + PAGE
        for pgno, page in candidates:
            for salt in salts:
                if _opens(page, pgno, key, salt):
                    hits.append((path.name, pgno, decrypt_page(page, pgno, key, salt)))
                    break
    return hits
