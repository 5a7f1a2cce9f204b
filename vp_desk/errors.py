"""Errors a user can cause or meet, each with a plain message and an exit code.

Messages never contain case content: at most an organisation's id, a case
code or a file name.
"""

from __future__ import annotations

from typing import Any


class VpDeskError(Exception):
    """Base class: ``str(err)`` is one or two plain sentences for the user.

    An error made with ``key=`` (and its figures) carries a message of
    ``vp_desk.i18n.MESSAGES``: ``str(err)`` is the English text and
    ``err.text(lang)`` the user's language. One made with a ready sentence
    shows that sentence in every language.
    """

    exit_code = 1
    key: str | None = None
    params: dict[str, object]

    def __init__(self, message: str | None = None, *, key: str | None = None, **params: object):
        self.key = key
        self.params = dict(params)
        if message is None and key is not None:
            message = self.text("en")
        super().__init__(*(() if message is None else (message,)))

    def text(self, lang: str) -> str:
        """The message in ``lang`` (nl or en)."""
        if self.key is None:
            return str(self)
        from vp_desk.i18n import t

        return t(self.key, lang, **self.params)


class UsageError(VpDeskError):
    exit_code = 2


class ValidationError(VpDeskError):
    """Bad input; ``field_errors`` maps a field name to its message code/text."""

    exit_code = 2

    def __init__(self, field_errors: dict[str, str], **params: object):
        self.field_errors = dict(field_errors)
        detail = "; ".join(f"{k}: {v}" for k, v in self.field_errors.items())
        super().__init__(f"Invalid input ({detail}).")
        # The values a code's sentence needs, e.g. ``max`` for "too_long".
        self.params = dict(params)


class WrongPassphrase(VpDeskError):
    exit_code = 3

    def __init__(self, message: str | None = None, *, key: str | None = None):
        super().__init__(message, key=None if message else key or "err_wrong_passphrase")


class DamagedFile(VpDeskError):
    """A file failed its checks. ``part`` names the damaged part (best a
    ``vp_desk.i18n.Message``, so that it is named in the user's language);
    ``key=`` and its figures say more than "damaged" (the part is one of them)."""

    exit_code = 1

    def __init__(
        self, part: str, message: str | None = None, *, key: str | None = None, **params: Any
    ):
        self.part = part
        if message is not None:
            super().__init__(message)
        else:
            super().__init__(key=key or "err_damaged", part=part, **params)


class NewerSchema(VpDeskError):
    """A vault written by a newer vp_desk: not damaged, this version cannot read it."""

    exit_code = 1

    def __init__(self, part: str, found: int, supported: int):
        self.part = part
        self.found = found
        self.supported = supported
        super().__init__(key="err_newer_schema", part=part, found=found, supported=supported)


class AlreadyRunning(VpDeskError):
    exit_code = 1

    def __init__(self, path: str):
        super().__init__(key="err_already_running", path=path)


class NotInitialised(VpDeskError):
    exit_code = 2

    def __init__(self, path: str):
        super().__init__(key="err_not_initialised", path=path)


class UnsafeSQLite(VpDeskError):
    exit_code = 1

    def __init__(self) -> None:
        super().__init__(key="err_unsafe_sqlite")


class NotFound(VpDeskError):
    exit_code = 2


class StorageFull(VpDeskError):
    exit_code = 1

    def __init__(self, what: str | None = None):
        if what is None:
            super().__init__(key="err_storage_full_folder")
        else:
            super().__init__(key="err_storage_full", what=what)
