"""What every command shares: options, passphrase input, error handling."""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from vp_desk.errors import StorageFull, UsageError, ValidationError, VpDeskError
from vp_desk.i18n import default_lang

T = TypeVar("T")


@dataclass
class Settings:
    data_dir: Path | None = None
    lang: str | None = None
    passphrase_file: str | None = None

    @property
    def language(self) -> str:
        return self.lang or default_lang()


def settings(ctx: click.Context | None = None) -> Settings:
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Settings()
    return root.obj


def _store(name: str):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value is None:
            return value
        # The option is offered before and after the command: a value from the
        # environment (VP_DESK_HOME) must not override one typed before the command.
        from click.core import ParameterSource

        typed = ctx.get_parameter_source(param.name) not in (
            ParameterSource.ENVIRONMENT,
            ParameterSource.DEFAULT,
        )
        if typed or getattr(settings(ctx), name) is None:
            setattr(settings(ctx), name, value)
        return value

    return callback


def common_options(func: Callable | None = None, *, lang: bool = True) -> Callable:
    """--data-dir, --lang, --passphrase-file: accepted before or after the command.

    ``lang=False`` leaves out --lang, for a command that gives it its own meaning.
    """
    if func is None:
        return functools.partial(common_options, lang=lang)
    func = click.option(
        "--passphrase-file",
        type=click.Path(dir_okay=False),
        default=None,
        expose_value=False,
        callback=_store("passphrase_file"),
        help="Read the passphrase from the first line of this file.",
    )(func)
    if lang:
        func = click.option(
            "--lang",
            type=click.Choice(["nl", "en"]),
            default=None,
            expose_value=False,
            callback=_store("lang"),
            help="Language of messages and output (default: from the locale).",
        )(func)
    func = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=_store("data_dir"),
        envvar="VP_DESK_HOME",
        help="The data folder (default: VP_DESK_HOME or your user data folder).",
    )(func)
    return func


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def run_guarded(func: Callable[[], T]) -> T:
    """Run a command body: user errors become a plain sentence and an exit code."""
    try:
        return func()
    except ValidationError as exc:
        fail(validation_message(exc), exc.exit_code)
    except VpDeskError as exc:
        fail(str(exc), exc.exit_code)
    except _database_error() as exc:
        from vp_desk.services.storage import is_disk_full

        if is_disk_full(exc):
            fail(str(StorageFull()), 1)
        fail(
            "A vault file is damaged: a page failed its check. Run 'vp-desk verify' to see "
            "which one, and restore it from a backup.",
            1,
        )
    except BrokenPipeError:
        # The reader went away (``vp-desk case list X | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        fail("Interrupted; nothing more was changed.", 130)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO) and _from_output(exc):
            # The work may be done: only its message could not be written.
            silence_stdout()
            fail(
                "The output could not be written to standard output (its disk is full), "
                "but the command may have completed; check the result before running it again.",
                1,
            )
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            fail(str(StorageFull()), 1)
        # File names only, never content.
        fail(
            f"A file could not be read or written ({exc.strerror or 'I/O error'}"
            f"{': ' + os.path.basename(str(exc.filename)) if exc.filename else ''}).",
            1,
        )


#: Functions that write a command's output; an error raised inside them is an
#: error of standard output, not of the data folder.
_OUTPUT_WRITERS = {"echo", "secho", "show_on_stdout"}


def _from_output(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while writing the command's output."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name in _OUTPUT_WRITERS:
            return True
        tb = tb.tb_next
    return False


def validation_message(exc: ValidationError) -> str:
    """The field errors as sentences (the error itself carries message codes)."""
    from vp_desk.i18n import t

    try:
        lang = settings().language
    except RuntimeError:  # outside a command
        lang = "en"
    parts = []
    for field, code in exc.field_errors.items():
        text = t(code, lang)
        if "{" in text:  # a message that needs figures the error does not carry
            text = "ongeldige waarde." if lang == "nl" else "not a valid value."
        parts.append(f"{field}: {text}")
    if lang == "nl":
        return f"Ongeldige invoer. {' '.join(parts)} Er is niets gewijzigd."
    return f"Invalid input. {' '.join(parts)} Nothing was changed."


def _database_error() -> type[Exception]:
    from vp_desk.services.storage import DatabaseError

    return DatabaseError


def guarded(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return run_guarded(lambda: func(*args, **kwargs))

    return wrapper


def _prompt_hidden(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            "No passphrase given. Set VP_DESK_PASSPHRASE or VP_DESK_PASSPHRASE_FILE, "
            "or use --passphrase-file."
        )
    import getpass

    return getpass.getpass(prompt)


#: A passphrase file holds one line; anything larger is not one.
MAX_PASSPHRASE_FILE = 64 * 1024


def check_passphrase_file(path: str | os.PathLike | None) -> None:
    """Refuse at once a passphrase file that is not a regular file (``/dev/zero``,
    a pipe) or is far too large, before a byte of it is read."""
    import stat

    if not path:
        return
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        raise UsageError(f"The passphrase file {path} cannot be read.") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(
            f"The passphrase file {path} is not a regular file; put the passphrase on the "
            "first line of a file."
        )
    if info.st_size > MAX_PASSPHRASE_FILE:
        raise UsageError(
            f"The passphrase file {path} is too large to hold a passphrase; put the "
            "passphrase on the first line of a small file."
        )


def _passphrase_file_in_use() -> str | None:
    from vp_desk.services.passphrase import ENV_PASSPHRASE_FILE

    return settings().passphrase_file or os.environ.get(ENV_PASSPHRASE_FILE)


def get_passphrase(prompt: str = "Passphrase: ") -> str:
    from vp_desk.services.passphrase import from_environment

    check_passphrase_file(_passphrase_file_in_use())
    value = from_environment(settings().passphrase_file)
    if value is not None:
        return value
    return _prompt_hidden(prompt)


def get_new_passphrase(
    file: str | None = None, *, lang: str | None = None, user_inputs: Sequence[str] = ()
) -> str:
    """A new passphrase: from a file/env, or asked twice; checked for strength
    (``user_inputs``: the user's own words, such as organisation names)."""
    from vp_desk.services.passphrase import (
        from_environment,
        read_passphrase_file,
        strength,
        strength_message,
    )

    lang = lang or settings().language
    value: str | None
    if file:
        check_passphrase_file(file)
        value = read_passphrase_file(file)
    else:
        check_passphrase_file(_passphrase_file_in_use())
        value = from_environment(settings().passphrase_file)
        if value is None:
            value = _prompt_hidden("New passphrase: ")
            if _prompt_hidden("Repeat the new passphrase: ") != value:
                raise UsageError("The two passphrases differ. Nothing was changed.")
    result = strength(value, user_inputs)
    if not result.ok:
        raise UsageError(" ".join(strength_message(p, lang) for p in result.problems))
    return value


def open_desk():
    """Unlock the data folder for a command (passphrase from env, file or prompt)."""
    from vp_desk.errors import NotInitialised
    from vp_desk.services.desk import Desk
    from vp_desk.services.storage import DataFolder

    folder = DataFolder(settings().data_dir)
    if not folder.is_initialised():
        raise NotInitialised(str(folder.path))
    folder.acquire_lock()
    try:
        passphrase = get_passphrase()
        desk = Desk(folder.unlock(passphrase))
    except BaseException:
        folder.lock.release()
        raise
    if desk.recovered_key_file:
        click.echo(
            "Warning: the key file was damaged; its previous copy was used and has been rewritten.",
            err=True,
        )
        desk.rewrite_key_file()
    from vp_desk.services.leftovers import permission_warning

    loose = permission_warning(folder.path, settings().language)
    if loose:
        click.echo(loose, err=True)
    return desk


def confirm(question: str, assume_yes: bool) -> None:
    if assume_yes:
        return
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("This needs confirmation; run it in a terminal or add --yes.")
    if not click.confirm(question, default=False):
        raise UsageError("Cancelled; nothing was changed.")


#: Years a command accepts (--year): four digits, as on a report.
MIN_YEAR = 1900
MAX_YEAR = 9999


class YearType(click.ParamType):
    """A year such as 2025 (``--year``): four digits from 1900 to 9999.

    A number too large for the database, a negative one or text is a usage
    error (exit 2) with one sentence, never a traceback.
    """

    name = "YYYY"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        else:
            text = str(value).strip()
            year = int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            self.fail(f"use a year from {MIN_YEAR} to {MAX_YEAR}, such as 2025.", param, ctx)
        return year


class DateType(click.ParamType):
    """A day as YYYY-MM-DD or D-M-YYYY (``--from``/``--to``), returned as a date."""

    name = "DATE"

    def convert(self, value, param, ctx):
        from datetime import date

        if isinstance(value, date):
            return value
        from vp_desk.domain.models import parse_date

        text = str(value).strip()
        try:
            day = parse_date(text) if len(text) <= 10 else None
        except (ValueError, OverflowError):
            day = None
        if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
            self.fail("use a date such as 2026-01-31 or 31-1-2026.", param, ctx)
        return day


YEAR = YearType()
DATE = DateType()


def refuse_existing(out: Path, force: bool) -> None:
    """Refuse to overwrite ``out`` unless --force was given (as ``backup`` does)."""
    if out.exists() and not force:
        raise UsageError(
            f"{out} already exists. Choose another file name, or add --force to "
            "overwrite it; nothing was written."
        )
    if out.exists() and not out.is_file():
        raise UsageError(f"{out} is not a regular file; nothing was written.")


def silence_stdout() -> None:
    """What could not be written is dropped, so the exit does not fail on it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def stdout_open() -> bool:
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        return False
    try:
        os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return True


def show_on_stdout(text: str) -> None:
    """Write ``text`` to stdout and make sure it got there (a full disk or a
    closed pipe raises here, not at exit)."""
    sys.stdout.write(text)
    sys.stdout.flush()
    try:
        os.fsync(sys.stdout.fileno())
    except OSError as exc:
        # A terminal or pipe cannot be synced (EINVAL); a full disk can.
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
            raise
