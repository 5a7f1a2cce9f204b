"""The sealed archive behind backups and hand-overs.

One file, encrypted and authenticated as a whole, that opens with a
passphrase alone. Layout (all integers big-endian)::

    magic      8 bytes  b"VPDESK\\x00A"
    hlen       4 bytes  length of the header
    header     hlen bytes of canonical JSON (UTF-8):
               {"format": "vp_desk.archive", "version": 1, "kind": "backup"|"handover",
                "created": ISO time, "kdf": {Argon2id name, salt, memory_kib, iterations, lanes},
                "wrap_nonce": b64, "wrapped_key": b64, "nonce_prefix": b64 (7 bytes),
                "chunk": plaintext bytes per chunk}
    chunks     the payload in AES-256-GCM chunks of ``chunk`` bytes (the last one may
               be shorter), each followed by its 16-byte tag
    sha256     32 bytes: SHA-256 of everything before it

Keys: KEK = Argon2id(passphrase) with the header's parameters (for a backup
that is the data folder's own KEK, so the passphrase of the day opens it).
A random 256-bit archive key is wrapped with AES-GCM under
HKDF-SHA256(KEK, "vp_desk/archive/<kind>"), the associated data binding the
format version, the kind and the KDF parameters. Chunk ``i`` is sealed with
the archive key, nonce = nonce_prefix || i (4 bytes) || last (1 byte), and the
SHA-256 of the header as associated data: a changed header, a reordered, cut
or extended chunk sequence all fail authentication (the STREAM construction
of Hoang, Reyhanitabar, Rogaway and Vizár, as in age and Tink).

The trailing SHA-256 is not a security measure (anyone can recompute it): it
tells a damaged file (checked before any key derivation) from a wrong
passphrase (the key unwrap fails on an intact file), as the key file does.

The plaintext payload is: a 4-byte manifest length, the manifest (JSON with
one entry ``{name, size, sha256}`` per member) and the members' bytes in
manifest order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vp_desk.errors import DamagedFile, UsageError, WrongPassphrase
from vp_desk.i18n import message

# write_all is looked up here at call time: tests replace it to fill the disk.
from vp_desk.vault.atomic import atomic_output, write_all
from vp_desk.vault.keyfile import (
    DEFAULT_MEMORY_KIB,
    MAX_ITERATIONS,
    MAX_LANES,
    MIN_ITERATIONS,
    MIN_MEMORY_KIB,
    KdfParams,
)

MAGIC = b"VPDESK\x00A"
FORMAT = "vp_desk.archive"
VERSION = 1
CHUNK = 1 << 20
TAG = 16
DIGEST = 32
MAX_HEADER = 64 * 1024
MAX_MANIFEST = 16 << 20
#: Member names an archive may hold; nothing else is ever written on restore.
MEMBER_NAME = re.compile(r"^(keyfile\.json|index\.db|vault\.db|org-[0-9a-f]{16}\.db)$")

Progress = Callable[[int, int], None]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _wrap_key(kek: bytes, kind: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"vp_desk/archive/{kind}".encode()
    ).derive(kek)


def _wrap_ad(kind: str, kdf: KdfParams) -> bytes:
    return b"vp_desk/archive/v%d/" % VERSION + kind.encode() + b"/" + kdf.canonical()


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def _what(kind: str) -> str:
    """What a full disk kept from being written."""
    return message("what_backup_file" if kind == "backup" else "what_handover_file")


def _part(kind: str) -> str:
    """How a damaged archive is named."""
    return message("part_backup_file" if kind == "backup" else "part_handover_file")


@dataclass(frozen=True)
class Member:
    """One member of an archive: a file read in place, or bytes in memory.

    A file is read twice (once for the manifest's checksum, once to seal it),
    so the caller keeps it still meanwhile; nothing is copied to disk.
    """

    name: str
    path: Path | None = None
    extra: dict[str, Any] | None = None
    data: bytes | None = None

    def blocks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        assert self.path is not None
        with open(self.path, "rb") as fh:
            while block := fh.read(CHUNK):
                yield block


class _SealedWriter:
    """Seals a byte stream chunk by chunk into an open file descriptor."""

    def __init__(self, fd: int, kind: str, kek: bytes, kdf: KdfParams):
        self.fd = fd
        key = secrets.token_bytes(32)
        wrap_nonce = secrets.token_bytes(12)
        self.prefix = secrets.token_bytes(7)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "kind": kind,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "kdf": kdf.to_json(),
            "wrap_nonce": _b64(wrap_nonce),
            "wrapped_key": _b64(
                AESGCM(_wrap_key(kek, kind)).encrypt(wrap_nonce, key, _wrap_ad(kind, kdf))
            ),
            "nonce_prefix": _b64(self.prefix),
            "chunk": CHUNK,
        }
        header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
        self.ad = hashlib.sha256(header_bytes).digest()
        self.aead = AESGCM(key)
        self.digest = hashlib.sha256()
        self.buffer = bytearray()
        self.index = 0
        self.written = 0
        self._emit(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)

    def _emit(self, data: bytes) -> None:
        self.digest.update(data)
        write_all(self.fd, data)
        self.written += len(data)

    def _seal(self, chunk: bytes, last: bool) -> None:
        self._emit(self.aead.encrypt(_nonce(self.prefix, self.index, last), chunk, self.ad))
        self.index += 1

    def write(self, data: bytes) -> None:
        self.buffer += data
        # Keep at least one byte back so the final chunk is never empty unless
        # the whole payload is (it always holds a manifest, so never).
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), False)
            del self.buffer[:CHUNK]

    def close(self) -> None:
        self._seal(bytes(self.buffer), True)
        self.buffer.clear()
        write_all(self.fd, self.digest.digest())
        self.written += DIGEST


def write_archive(
    out: Path,
    kind: str,
    kek: bytes,
    kdf: KdfParams,
    manifest: dict[str, Any],
    members: list[Member],
    progress: Progress | None = None,
) -> int:
    """Write the sealed archive ``out`` (which must not exist); returns its size.

    Written to a temp file in the same folder and renamed when complete, so a
    crash or a full disk leaves no partial or empty file under ``out``.
    """
    out = Path(out)
    if out.exists():
        raise UsageError(key="err_out_exists", path=out)
    if not out.parent.is_dir():
        raise UsageError(key="err_no_folder", path=out.parent)
    entries = []
    for member in members:
        if not MEMBER_NAME.fullmatch(member.name):  # pragma: no cover - programming error
            raise ValueError(member.name)
        size, digest = _digest(member)
        entries.append(
            {"name": member.name, "size": size, "sha256": digest, **(member.extra or {})}
        )
    manifest = {**manifest, "members": entries}
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    total = len(manifest_bytes) + sum(e["size"] for e in entries)
    done = 0
    with atomic_output(out, what=_what(kind)) as fd:
        writer = _SealedWriter(fd, kind, kek, kdf)
        writer.write(struct.pack(">I", len(manifest_bytes)) + manifest_bytes)
        done += len(manifest_bytes)
        for member, entry in zip(members, entries):
            checksum = hashlib.sha256()
            for block in member.blocks():
                checksum.update(block)
                writer.write(block)
                done += len(block)
                if progress:
                    progress(done, total)
            if checksum.hexdigest() != entry["sha256"]:  # pragma: no cover - held still
                raise RuntimeError("a vault changed while it was archived")
        writer.close()
    return writer.written


def _digest(member: Member) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    for block in member.blocks():
        h.update(block)
        size += len(block)
    return size, h.hexdigest()


# -- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    path: Path
    kind: str
    created: str
    kdf: KdfParams
    wrap_nonce: bytes
    wrapped_key: bytes
    nonce_prefix: bytes
    chunk: int
    ad: bytes
    body_start: int
    body_end: int


def read_header(path: Path, kind: str) -> Header:
    """Parse the header and check the whole file's checksum (before any KDF).

    DamagedFile when a single bit differs from what was written.
    """
    path = Path(path)
    what = _part(kind)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a device or pipe would never end
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(path)
            raise UsageError(key="err_not_regular", path=path)
        size = info.st_size
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:8] != MAGIC:
                raise DamagedFile(
                    what, key="err_archive_not_ours", name=path.name, file=_noun(kind)
                )
            hlen = struct.unpack(">I", head[8:])[0]
            if hlen > MAX_HEADER or 12 + hlen + TAG + DIGEST > size:
                raise _damaged(path, what)
            header_bytes = fh.read(hlen)
            digest = hashlib.sha256(head + header_bytes)
            remaining = size - 12 - hlen - DIGEST
            while remaining > 0:
                block = fh.read(min(CHUNK, remaining))
                if not block:
                    raise _damaged(path, what)
                digest.update(block)
                remaining -= len(block)
            if not hmac.compare_digest(digest.digest(), fh.read(DIGEST)):
                raise _damaged(path, what)
    except FileNotFoundError:
        raise UsageError(key="err_no_file", path=path) from None
    except IsADirectoryError:
        raise UsageError(key="err_archive_folder", path=path, file=_noun(kind)) from None
    try:
        data = json.loads(header_bytes.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("header")
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("format")
        if data.get("kind") != kind:
            if data.get("kind") not in ("backup", "handover"):
                raise ValueError("kind")
            raise UsageError(
                key="err_archive_other_kind",
                name=path.name,
                other=_noun(str(data.get("kind"))),
                file=_noun(kind),
            )
        kdf = kdf_from_header(data["kdf"])
        if type(data["chunk"]) is not int or not isinstance(data["created"], str):
            raise ValueError("chunk or created")
        header = Header(
            path,
            kind,
            data["created"],
            kdf,
            _unb64(data["wrap_nonce"]),
            _unb64(data["wrapped_key"]),
            _unb64(data["nonce_prefix"]),
            data["chunk"],
            hashlib.sha256(header_bytes).digest(),
            12 + hlen,
            size - DIGEST,
        )
    except UsageError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeError, OverflowError, RecursionError) as exc:
        raise _damaged(path, what) from exc
    if len(header.nonce_prefix) != 7 or not 1 <= header.chunk <= 64 * CHUNK:
        raise _damaged(path, what)
    try:
        kdf.check_bounds()  # a tampered header must not make the KDF take an hour
    except DamagedFile:
        raise _damaged(path, what) from None
    return header


#: The most Argon2id work a backup or hand-over header may ask for: near what
#: this install chooses (its default memory, at most twice; the calibrated
#: number of passes), so a crafted file cannot make one unlock take minutes.
MAX_ARCHIVE_MEMORY_KIB = 2 * DEFAULT_MEMORY_KIB
MAX_ARCHIVE_WORK = DEFAULT_MEMORY_KIB * MAX_ITERATIONS


def kdf_from_header(value: object) -> KdfParams:
    """The KDF parameters of an archive header, checked for type and capped.

    ValueError when ``value`` is not a mapping of exactly the expected types
    (whole numbers, not strings, floats or booleans; a base64 salt of 16 to
    64 bytes), or asks for more memory, passes or lanes than this install
    would use.
    """
    if not isinstance(value, dict) or value.get("name") != "argon2id":
        raise ValueError("kdf")
    memory, iterations, lanes = (value.get(k) for k in ("memory_kib", "iterations", "lanes"))
    if (
        type(memory) is not int
        or type(iterations) is not int
        or type(lanes) is not int
        or not isinstance(value.get("salt"), str)
    ):
        raise ValueError("kdf types")
    salt = _unb64(value["salt"])
    if not (
        MIN_MEMORY_KIB <= memory <= MAX_ARCHIVE_MEMORY_KIB
        and MIN_ITERATIONS <= iterations <= MAX_ITERATIONS
        and 1 <= lanes <= MAX_LANES
        and memory >= 8 * lanes
        and memory * iterations <= MAX_ARCHIVE_WORK
        and 16 <= len(salt) <= 64
    ):
        raise ValueError("kdf bounds")
    return KdfParams(salt, memory, iterations, lanes)


def _noun(kind: str) -> str:
    """An archive's kind as the file it is ("not a vp_desk backup file")."""
    return message("noun_backup_file" if kind == "backup" else "noun_handover_file")


def _damaged(path: Path, what: str) -> DamagedFile:
    return DamagedFile(what, key="err_archive_checksum", name=path.name)


def unwrap(header: Header, kek: bytes, wrong: str | None = None) -> bytes:
    """The archive key; WrongPassphrase (its message key ``wrong``) if ``kek``
    does not open it."""
    try:
        return AESGCM(_wrap_key(kek, header.kind)).decrypt(
            header.wrap_nonce, header.wrapped_key, _wrap_ad(header.kind, header.kdf)
        )
    except InvalidTag:
        # The checksum matched, so the file is intact: the passphrase is wrong.
        raise WrongPassphrase(key=wrong) from None


def open_with_passphrase(header: Header, passphrase: str, wrong: str | None = None) -> bytes:
    return unwrap(header, header.kdf.derive(passphrase), wrong)


def _plaintext_chunks(header: Header, key: bytes) -> Iterator[bytes]:
    aead = AESGCM(key)
    sealed = header.chunk + TAG
    with open(header.path, "rb") as fh:
        fh.seek(header.body_start)
        position = header.body_start
        index = 0
        while position < header.body_end:
            size = min(sealed, header.body_end - position)
            block = fh.read(size)
            position += size
            last = position >= header.body_end
            try:
                yield aead.decrypt(_nonce(header.nonce_prefix, index, last), block, header.ad)
            except InvalidTag:
                raise _damaged(header.path, _part(header.kind)) from None
            index += 1


class _Stream:
    """Reads exact byte counts from the decrypted chunks."""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks = chunks
        self.buffer = bytearray()

    def read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            try:
                self.buffer += next(self.chunks)
            except StopIteration:
                break
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

    def at_end(self) -> bool:
        return not self.read(1)


def read_archive(
    header: Header, key: bytes, folder: Path, progress: Progress | None = None
) -> dict[str, Any]:
    """Decrypt into ``folder`` (an empty, private temp folder) and check every
    member against the manifest; returns the manifest.

    DamagedFile on any mismatch; the caller removes ``folder`` then.
    """
    what = _part(header.kind)
    stream = _Stream(_plaintext_chunks(header, key))
    try:
        length = struct.unpack(">I", stream.read(4))[0]
        if length > MAX_MANIFEST:
            raise ValueError("manifest too large")
        manifest = json.loads(stream.read(length).decode("utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), list):
            raise ValueError("manifest")
        entries = manifest["members"]
        if not all(
            isinstance(e, dict)
            and isinstance(e.get("name"), str)
            and type(e.get("size")) is int
            and e["size"] >= 0
            and isinstance(e.get("sha256"), str)
            for e in entries
        ):
            raise ValueError("members")
        names = [e["name"] for e in entries]
        if len(set(names)) != len(names) or not all(MEMBER_NAME.fullmatch(n) for n in names):
            raise ValueError("member names")
        total = length + sum(e["size"] for e in entries)
    except (
        ValueError,
        KeyError,
        TypeError,
        UnicodeError,
        OverflowError,
        RecursionError,
        struct.error,
    ) as exc:
        raise _damaged(header.path, what) from exc
    done = length
    for entry in entries:
        size = int(entry["size"])
        digest = hashlib.sha256()
        target = Path(folder) / entry["name"]
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            remaining = size
            while remaining:
                block = stream.read(min(CHUNK, remaining))
                if not block:
                    raise _damaged(header.path, what)
                digest.update(block)
                write_all(fd, block)
                remaining -= len(block)
                done += len(block)
                if progress:
                    progress(done, total)
            os.fsync(fd)
        finally:
            os.close(fd)
        if not hmac.compare_digest(digest.hexdigest(), str(entry["sha256"])):
            raise _damaged(header.path, what)
    if not stream.at_end():
        raise _damaged(header.path, what)
    return manifest
