"""The key file: Argon2id, AES-GCM-wrapped data keys, two generations.

Layout (JSON, UTF-8)::

    {"format": "vp_desk.keyfile", "body": "<canonical JSON>",
     "sha256": "<hex of body>", "mac": "<hex HMAC-SHA256 of body>"}

``body`` holds the format version, a generation counter, the Argon2id
parameters with their salt, and one entry ``{vault_id, nonce, wrapped_key}``
per vault. KEK = Argon2id(passphrase). Each data key is wrapped with AES-GCM
under the KEK; the associated data binds vault id, format version and KDF
parameters. The MAC (key HKDF(KEK, "keyfile-mac")) authenticates the whole
body. The plain SHA-256 tells accidental damage (checked before any KDF) from a
wrong passphrase (the unwrap fails on an intact file).

``keyfile.json`` is the current generation and ``keyfile.prev.json`` the one
before; a damaged (or edited) current file falls back to the previous one,
which is then copied back over it (``KeyFileStore.settle``).

The body may also hold (all covered by the MAC, so only the passphrase
holder can change them):

- ``rekey_pending``: vault ids whose re-encrypted file (``<name>.rekey``)
  must still replace the live one: a passphrase change that is rolled forward
  at the next open (``docs/reliability.md``);
- ``shred_pending``: vault ids whose key is already gone and whose files and
  index rows must still be erased (rolled forward at the next open);
- ``epochs``: per vault, the epoch it reached when last closed; a vault file
  whose own epoch is lower was rolled back (``docs/threat-model.md``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vp_desk.errors import DamagedFile, WrongPassphrase
from vp_desk.i18n import message
from vp_desk.vault.atomic import atomic_write

FORMAT = "vp_desk.keyfile"
VERSION = 1
from vp_desk.vault.layout import CURRENT as CURRENT  # noqa: E402  (re-exported)
from vp_desk.vault.layout import INDEX_VAULT as INDEX_VAULT  # noqa: E402

#: How messages name the key file (in the user's language).
KEY_FILE = message("part_key_file")
from vp_desk.vault.layout import PREVIOUS as PREVIOUS  # noqa: E402

# Floors from docs/architecture.md ("Security rules") and caps against a tampered file that would make
# unlock take a minute or exhaust memory. The caps sit near what this install
# chooses itself (``calibrate``: the default memory, at most MAX_ITERATIONS
# passes), so a file from anywhere -- key file, backup, hand-over -- costs at
# most about twice the memory and a few times the time of a normal unlock.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
DEFAULT_MEMORY_KIB = 256 * 1024
DEFAULT_ITERATIONS = 3
DEFAULT_LANES = 4
MAX_MEMORY_KIB = 2 * DEFAULT_MEMORY_KIB
MAX_ITERATIONS = 16  # calibrate's ceiling; key files made by it may hold up to this
MAX_LANES = 8
#: memory x passes of the most expensive setting calibrate can pick.
MAX_COST = DEFAULT_MEMORY_KIB * MAX_ITERATIONS
MAX_FILE_BYTES = 1 << 20


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    memory_kib: int = DEFAULT_MEMORY_KIB
    iterations: int = DEFAULT_ITERATIONS
    lanes: int = DEFAULT_LANES

    @classmethod
    def new(
        cls, memory_kib: int | None = None, iterations: int | None = None, lanes: int | None = None
    ) -> KdfParams:
        return cls(
            secrets.token_bytes(16),
            memory_kib or DEFAULT_MEMORY_KIB,
            iterations or DEFAULT_ITERATIONS,
            lanes or DEFAULT_LANES,
        )

    @classmethod
    def from_env(cls) -> KdfParams:
        """Default parameters; ``VP_DESK_KDF=minimum`` picks the security floor.

        The floor (64 MiB, 3 passes) is still within the security rules; it exists
        for the test suite and for very weak machines.
        """
        if os.environ.get("VP_DESK_KDF", "").strip().lower() == "minimum":
            return cls.new(MIN_MEMORY_KIB, MIN_ITERATIONS, DEFAULT_LANES)
        return cls.new()

    def check_bounds(self, part: str = KEY_FILE) -> None:
        check_kdf_params(self, part)

    def derive(self, passphrase: str) -> bytes:
        self.check_bounds()
        return Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        ).derive(passphrase.encode("utf-8"))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "salt": _b64(self.salt),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        """Parse the JSON form; ValueError on anything but the exact shape.

        Bounds are not checked here: call ``check_kdf_params`` before deriving.
        """
        if not isinstance(data, dict) or data.get("name") != "argon2id":
            raise ValueError("unknown kdf")
        numbers = [data.get(k) for k in ("memory_kib", "iterations", "lanes")]
        if not all(type(n) is int for n in numbers):  # bool and float are not counts
            raise ValueError("kdf parameters are not whole numbers")
        salt = data.get("salt")
        if not isinstance(salt, str) or len(salt) > 256:
            raise ValueError("kdf salt")
        memory_kib, iterations, lanes = (int(n) for n in numbers if n is not None)
        return cls(_unb64(salt), memory_kib, iterations, lanes)

    def canonical(self) -> bytes:
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode()


def check_kdf_params(params: KdfParams, part: str = KEY_FILE) -> None:
    """Refuse key-derivation settings this install would never choose.

    Every reader of a file that carries Argon2id parameters (key file, backup
    header, hand-over header) calls this before deriving a key, so a tampered
    file cannot make one unlock take minutes or gigabytes. Raises DamagedFile
    naming ``part``.
    """
    ok = (
        isinstance(params, KdfParams)
        and isinstance(params.salt, bytes)
        and all(type(n) is int for n in (params.memory_kib, params.iterations, params.lanes))
    )
    if not (
        ok
        and MIN_MEMORY_KIB <= params.memory_kib <= MAX_MEMORY_KIB
        and MIN_ITERATIONS <= params.iterations <= MAX_ITERATIONS
        and 1 <= params.lanes <= MAX_LANES
        and 16 <= len(params.salt) <= 64
        and params.memory_kib >= 8 * params.lanes
        and params.memory_kib * params.iterations <= MAX_COST
    ):
        raise DamagedFile(part, key="err_kdf_bounds")


def subject_key_for(data_key: bytes) -> bytes:
    """The repeat-subject HMAC key derived from a vault's data key (the
    default when the vault keeps none of its own in ``meta``)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vp_desk/subject").derive(
        data_key
    )


def calibrate(target_seconds: float = 1.0) -> KdfParams:
    """Parameters that take about ``target_seconds`` here, never below the default."""
    params = KdfParams.from_env()
    if params.memory_kib == MIN_MEMORY_KIB:
        return params
    start = time.perf_counter()
    params.derive("calibration")
    took = time.perf_counter() - start
    if took <= 0 or took >= target_seconds * 0.8:
        return params
    iterations = min(
        MAX_ITERATIONS, max(DEFAULT_ITERATIONS, round(params.iterations * target_seconds / took))
    )
    return KdfParams(params.salt, params.memory_kib, iterations, params.lanes)


def _sub_key(kek: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"vp_desk/{purpose}".encode()
    ).derive(kek)


@dataclass
class KeyRing:
    """The unlocked key file: the KEK and every vault's data key, in memory."""

    kdf: KdfParams
    kek: bytes
    keys: dict[str, bytes] = field(default_factory=dict)
    generation: int = 0
    #: Set when the current generation was damaged and the previous one used.
    recovered_from_previous: bool = False
    #: Vaults whose ``.rekey`` file must still replace the live one.
    rekey_pending: list[str] = field(default_factory=list)
    #: Vaults whose key is gone and whose files and rows must still be erased.
    shred_pending: list[str] = field(default_factory=list)
    #: Per vault, the epoch recorded at its last clean close (rollback check).
    epochs: dict[str, int] = field(default_factory=dict)
    #: Per vault, its file's salt and SHA-256 at that close (checked by ``verify``).
    digests: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, passphrase: str, kdf: KdfParams | None = None) -> KeyRing:
        kdf = kdf or KdfParams.from_env()
        ring = cls(kdf=kdf, kek=kdf.derive(passphrase))
        ring.keys[INDEX_VAULT] = secrets.token_bytes(32)
        return ring

    def new_vault_key(self, vault_id: str) -> bytes:
        if vault_id in self.keys:
            raise ValueError("vault id already in use")
        key = secrets.token_bytes(32)
        self.keys[vault_id] = key
        return key

    def rekey(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        """New salt and KEK only; the data keys stay. ``Vault.change_passphrase``
        also gives every vault a fresh data key; this alone is its key-file step."""
        kdf = kdf or KdfParams.new(self.kdf.memory_kib, self.kdf.iterations, self.kdf.lanes)
        self.kek = kdf.derive(new_passphrase)
        self.kdf = kdf

    def _ad(self, vault_id: str) -> bytes:
        return b"vp_desk/keyfile/v%d/" % VERSION + vault_id.encode() + b"/" + self.kdf.canonical()

    def serialise(self) -> bytes:
        aead = AESGCM(self.kek)
        vaults = []
        for vault_id, key in sorted(self.keys.items()):
            nonce = secrets.token_bytes(12)
            vaults.append(
                {
                    "vault_id": vault_id,
                    "nonce": _b64(nonce),
                    "wrapped_key": _b64(aead.encrypt(nonce, key, self._ad(vault_id))),
                }
            )
        body = json.dumps(
            {
                "version": VERSION,
                "generation": self.generation,
                "kdf": self.kdf.to_json(),
                "vaults": vaults,
                "rekey_pending": sorted(self.rekey_pending),
                "shred_pending": sorted(self.shred_pending),
                "epochs": {k: int(v) for k, v in sorted(self.epochs.items())},
                "digests": dict(sorted(self.digests.items())),
            },
            sort_keys=True,
            separators=(",", ":"),
        )
        mac = hmac.new(_sub_key(self.kek, "keyfile-mac"), body.encode(), hashlib.sha256)
        return (
            json.dumps(
                {
                    "format": FORMAT,
                    "body": body,
                    "sha256": hashlib.sha256(body.encode()).hexdigest(),
                    "mac": mac.hexdigest(),
                },
                indent=1,
            ).encode()
            + b"\n"
        )

    def audit_key(self, vault_id: str) -> bytes:
        """HMAC key of a vault's audit chain; stable across passphrase changes."""
        return _sub_key(self.keys[vault_id], "audit")

    def drop(self) -> None:
        """Forget key material (best effort: Python cannot wipe bytes objects)."""
        self.kek = b""
        self.keys.clear()


@dataclass
class _ParsedFile:
    body: dict[str, Any]
    body_bytes: bytes
    mac: bytes


def _parse(raw: bytes) -> _ParsedFile:
    """Parse and checksum one generation; raises ValueError on any damage."""
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError("too large")
    outer = json.loads(raw.decode("utf-8"))
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise ValueError("not a key file")
    body_text = outer["body"]
    if not isinstance(body_text, str):
        raise ValueError("body")
    body_bytes = body_text.encode("utf-8")
    if not hmac.compare_digest(hashlib.sha256(body_bytes).hexdigest(), str(outer["sha256"])):
        raise ValueError("checksum")
    body = json.loads(body_text)
    if not isinstance(body, dict) or body.get("version") != VERSION:
        raise ValueError("version")
    if not isinstance(body.get("vaults"), list):
        raise ValueError("vaults")
    return _ParsedFile(body, body_bytes, bytes.fromhex(str(outer["mac"])))


def _unlock_parsed(parsed: _ParsedFile, passphrase: str) -> KeyRing:
    try:
        kdf = KdfParams.from_json(parsed.body["kdf"])
        entries = {
            str(v["vault_id"]): (_unb64(v["nonce"]), _unb64(v["wrapped_key"]))
            for v in parsed.body["vaults"]
        }
        generation = parsed.body.get("generation", 0)
        if type(generation) is not int or generation < 0:
            raise ValueError("generation")
        if not all(len(n) == 12 and len(w) == 48 for n, w in entries.values()):
            raise ValueError("entry sizes")
        rekey_pending = _id_list(parsed.body.get("rekey_pending", []))
        shred_pending = _id_list(parsed.body.get("shred_pending", []))
        epochs = parsed.body.get("epochs", {})
        if not isinstance(epochs, dict) or not all(
            isinstance(k, str) and type(v) is int and v >= 0 for k, v in epochs.items()
        ):
            raise ValueError("epochs")
        digests = parsed.body.get("digests", {})
        if not isinstance(digests, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) == 96 for k, v in digests.items()
        ):
            raise ValueError("digests")
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise DamagedFile(KEY_FILE) from exc
    if INDEX_VAULT not in entries:
        raise DamagedFile(KEY_FILE)
    check_kdf_params(kdf)
    kek = kdf.derive(passphrase)
    ring = KeyRing(
        kdf=kdf,
        kek=kek,
        generation=generation,
        rekey_pending=rekey_pending,
        shred_pending=shred_pending,
        epochs=dict(epochs),
        digests=dict(digests),
    )
    aead = AESGCM(kek)
    nonce, wrapped = entries[INDEX_VAULT]
    try:
        ring.keys[INDEX_VAULT] = aead.decrypt(nonce, wrapped, ring._ad(INDEX_VAULT))
    except InvalidTag:
        # The file passed its checksum, so the KEK is wrong: a wrong passphrase.
        raise WrongPassphrase() from None
    mac = hmac.new(_sub_key(kek, "keyfile-mac"), parsed.body_bytes, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, parsed.mac):
        raise DamagedFile(KEY_FILE)
    for vault_id, (nonce, wrapped) in entries.items():
        try:
            ring.keys[vault_id] = aead.decrypt(nonce, wrapped, ring._ad(vault_id))
        except InvalidTag:
            raise DamagedFile(KEY_FILE) from None
    return ring


def _id_list(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("vault id list")
    return list(value)


class KeyFileStore:
    """Reads and writes the two key-file generations in a data folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.current = self.folder / CURRENT
        self.previous = self.folder / PREVIOUS

    def exists(self) -> bool:
        return self.current.exists() or self.previous.exists()

    def read_kdf(self) -> KdfParams | None:
        """The KDF parameters of the intact generation, without unlocking."""
        for path in (self.current, self.previous):
            try:
                return KdfParams.from_json(_parse(path.read_bytes()).body["kdf"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
        return None

    def unlock(self, passphrase: str) -> KeyRing:
        """Unlock with ``passphrase``; fall back to the previous generation on damage.

        A wrong passphrase on an intact current file is final (WrongPassphrase):
        the previous generation is a repair copy, not a second way in.
        """
        errors: list[Exception] = []
        seen: bytes | None = None
        for path, is_previous in ((self.current, False), (self.previous, True)):
            try:
                raw = path.read_bytes()
            except FileNotFoundError as exc:
                errors.append(exc)
                continue
            if seen is not None and raw == seen:
                continue  # the same bytes fail the same way: no second KDF run
            seen = raw
            try:
                parsed = _parse(raw)
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
                errors.append(exc)
                continue
            try:
                ring = _unlock_parsed(parsed, passphrase)
            except (DamagedFile, WrongPassphrase) as exc:
                # An intact-looking current copy that this passphrase does not
                # open may be an edited or half-written one: the other copy
                # decides. Only if it does not open either is it a wrong passphrase.
                errors.append(exc)
                continue
            ring.recovered_from_previous = is_previous
            return ring
        if any(isinstance(e, WrongPassphrase) for e in errors):
            raise WrongPassphrase()
        if all(isinstance(e, FileNotFoundError) for e in errors):
            raise DamagedFile(KEY_FILE, key="err_key_file_missing")
        raise DamagedFile(KEY_FILE, key="err_key_file_both")

    def committed(self) -> bool:
        """After a failed ``write``: whether its current copy was replaced
        (then the new generation is in force and must be rolled forward)."""
        try:
            return self.current.read_bytes() == getattr(self, "_last_written", None)
        except OSError:
            return False

    def settle(self, ring: KeyRing) -> None:
        """Make both copies hold the generation that was just unlocked.

        Called at every open, under the folder lock. Unlocked from the current
        copy: a previous copy that differs (a write cut between its two
        copies, of a shred or a passphrase change) is overwritten, so a removed
        key or an old passphrase does not survive there. Unlocked from the
        previous copy (the current one damaged, edited, or a passphrase change
        cut before it finished): the current copy is restored from it, so the
        folder is back in exactly its old state.
        """
        source, target = (
            (self.previous, self.current)
            if ring.recovered_from_previous
            else (self.current, self.previous)
        )
        data = source.read_bytes()
        try:
            same = target.read_bytes() == data
        except FileNotFoundError:
            same = False
        if not same:
            atomic_write(target, data)

    def write(self, ring: KeyRing) -> None:
        """Write a new generation: previous := current, current := new, previous := new.

        At every point in between, one of the two files holds a complete and
        authentic generation (old or new). When the write is done both copies
        hold the new one, so a removed key or an old passphrase survives
        nowhere.
        """
        ring.generation += 1
        data = ring.serialise()
        self._last_written = data
        if self.current.exists():
            try:
                old = self.current.read_bytes()
                _parse(old)
            except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
                old = None
            if old is not None:
                atomic_write(self.previous, old)
        atomic_write(self.current, data)
        atomic_write(self.previous, data)
