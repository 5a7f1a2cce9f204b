"""Errors a user can cause or meet, each with a plain message and an exit code.

Messages never contain case content: at most an organisation's id, a case
code or a file name.
"""

from __future__ import annotations


class VpDeskError(Exception):
    """Base class: ``str(err)`` is one or two plain sentences for the user."""

    exit_code = 1


class UsageError(VpDeskError):
    exit_code = 2


class ValidationError(VpDeskError):
    """Bad input; ``field_errors`` maps a field name to its message code/text."""

    exit_code = 2

    def __init__(self, field_errors: dict[str, str]):
        self.field_errors = dict(field_errors)
        detail = "; ".join(f"{k}: {v}" for k, v in self.field_errors.items())
        super().__init__(f"Invalid input ({detail}).")


class WrongPassphrase(VpDeskError):
    exit_code = 3

    def __init__(self, message: str = "The passphrase is wrong. Try again; nothing was changed."):
        super().__init__(message)


class DamagedFile(VpDeskError):
    """A file failed its checks. ``part`` names the damaged part."""

    exit_code = 1

    def __init__(self, part: str, message: str | None = None):
        self.part = part
        super().__init__(
            message
            or f"The {part} is damaged or was tampered with. "
            "Restore it from a backup; run 'vp-desk verify' for details."
        )


class NewerSchema(VpDeskError):
    """A vault written by a newer vp_desk: not damaged, this version cannot read it."""

    exit_code = 1

    def __init__(self, part: str, found: int, supported: int):
        self.part = part
        self.found = found
        self.supported = supported
        super().__init__(
            f"The {part} was written by a newer version of vp_desk (schema {found}; this "
            f"version reads up to {supported}). Nothing was changed; update vp_desk to open it."
        )


class AlreadyRunning(VpDeskError):
    exit_code = 1

    def __init__(self, path: str):
        super().__init__(
            f"vp_desk is already open on the data folder {path}. Close the other window first."
        )


class NotInitialised(VpDeskError):
    exit_code = 2

    def __init__(self, path: str):
        super().__init__(
            f"There is no vp_desk data folder at {path}. "
            "Create one with 'vp-desk init' or open 'vp-desk' to set one up."
        )


class UnsafeSQLite(VpDeskError):
    exit_code = 1

    def __init__(self) -> None:
        super().__init__(
            "The installed SQLite has no encryption (SQLCipher missing). "
            "vp_desk refuses to run without it; reinstall the 'sqlcipher3' package."
        )


class NotFound(VpDeskError):
    exit_code = 2


class StorageFull(VpDeskError):
    exit_code = 1

    def __init__(self, what: str = "the data folder"):
        super().__init__(
            f"There is not enough disk space to write {what}. "
            "Nothing was changed; free some space and try again."
        )
