"""An independent reader of SQLCipher 4 pages, for tests that must look at
every byte on disk (free pages and WAL frames included) as plaintext.

SQLCipher 4 defaults, with a raw 256-bit key (``PRAGMA key = "x'..'"``):
- page size 4096; each page ends in a reserve of 80 bytes: a 16-byte IV and a
  64-byte HMAC-SHA512;
- page 1 starts with the 16-byte file salt, which is not encrypted;
- the raw key is the AES-256-CBC key; the HMAC key is
  PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 iterations, 32 bytes);
- the HMAC covers the ciphertext, the IV and the page number (4 bytes, little endian).
A WAL file is a 32-byte header and frames of a 24-byte header plus one page
image, encrypted the same way (the frame header holds the page number).

Every page's HMAC is checked, so a wrong reading of the format fails loudly
instead of silently finding nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
IV = 16
MAC = 64
RESERVE = IV + MAC
SALT = 16


class PageError(AssertionError):
    pass


def _hmac_key(key: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)


def decrypt_page(raw: bytes, pgno: int, key: bytes, salt: bytes) -> bytes:
    """Plaintext of one page image (page 1 without its salt)."""
    if len(raw) != PAGE:
        raise PageError(f"page {pgno}: {len(raw)} bytes")
    offset = SALT if pgno == 1 else 0
    body = raw[offset : PAGE - RESERVE]
    iv = raw[PAGE - RESERVE : PAGE - MAC]
    tag = raw[PAGE - MAC :]
    expected = hmac.new(
        _hmac_key(key, salt), body + iv + struct.pack("<I", pgno), hashlib.sha512
    ).digest()
    if not hmac.compare_digest(expected, tag):
        raise PageError(f"page {pgno}: HMAC does not match (wrong key or format)")
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def file_salt(db_path: Path) -> bytes:
    with open(db_path, "rb") as fh:
        return fh.read(SALT)


def decrypt_database(db_path: Path, key: bytes) -> list[bytes]:
    """Every page of the main file, free pages included."""
    raw = Path(db_path).read_bytes()
    if len(raw) % PAGE:
        raise PageError(f"{db_path.name}: size {len(raw)} is not a whole number of pages")
    salt = raw[:SALT]
    return [
        decrypt_page(raw[i : i + PAGE], i // PAGE + 1, key, salt) for i in range(0, len(raw), PAGE)
    ]


def decrypt_wal(wal_path: Path, key: bytes, salt: bytes) -> list[bytes]:
    """Every frame of a WAL file, old and new, committed or not."""
    raw = Path(wal_path).read_bytes() if Path(wal_path).exists() else b""
    pages = []
    pos = 32
    while pos + 24 + PAGE <= len(raw):
        pgno = struct.unpack(">I", raw[pos : pos + 4])[0]
        pages.append(decrypt_page(raw[pos + 24 : pos + 24 + PAGE], pgno, key, salt))
        pos += 24 + PAGE
    return pages


def plaintext_of(db_path: Path, key: bytes) -> bytes:
    """All decrypted bytes of a vault: main file and WAL."""
    db_path = Path(db_path)
    salt = file_salt(db_path)
    pages = decrypt_database(db_path, key)
    pages += decrypt_wal(Path(str(db_path) + "-wal"), key, salt)
    return b"".join(pages)
