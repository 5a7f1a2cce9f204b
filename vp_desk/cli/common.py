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
from vp_desk.i18n import Text, default_lang, lookup, os_reason, register

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


#: What the command line says, in Dutch and English (vp_desk/i18n.py).
MESSAGES: dict[str, tuple[Text, Text]] = {
    "damaged_page": (
        "Een kluisbestand is beschadigd: een pagina kwam niet door de controle. Voer "
        "'vp-desk verify' uit om te zien welk, en zet het terug uit een back-up.",
        "A vault file is damaged: a page failed its check. Run 'vp-desk verify' to see "
        "which one, and restore it from a backup.",
    ),
    "interrupted": (
        "Onderbroken; er is verder niets gewijzigd.",
        "Interrupted; nothing more was changed.",
    ),
    "stdout_full": (
        "De uitvoer kon niet naar standaarduitvoer worden geschreven (die schijf is vol), "
        "maar de opdracht is mogelijk wel uitgevoerd; controleer het resultaat voordat u "
        "hem opnieuw uitvoert.",
        "The output could not be written to standard output (its disk is full), but the "
        "command may have completed; check the result before running it again.",
    ),
    "io_error": (
        "Een bestand kon niet worden gelezen of geschreven ({reason}{name}).",
        "A file could not be read or written ({reason}{name}).",
    ),
    "no_passphrase": (
        "Geen wachtzin gegeven. Zet VP_DESK_PASSPHRASE of VP_DESK_PASSPHRASE_FILE, of "
        "gebruik --passphrase-file.",
        "No passphrase given. Set VP_DESK_PASSPHRASE or VP_DESK_PASSPHRASE_FILE, or use "
        "--passphrase-file.",
    ),
    "passphrase_file_unreadable": (
        "Het wachtzinbestand {path} kan niet worden gelezen.",
        "The passphrase file {path} cannot be read.",
    ),
    "passphrase_file_not_regular": (
        "Het wachtzinbestand {path} is geen gewoon bestand; zet de wachtzin op de eerste "
        "regel van een bestand.",
        "The passphrase file {path} is not a regular file; put the passphrase on the first "
        "line of a file.",
    ),
    "passphrase_file_too_large": (
        "Het wachtzinbestand {path} is te groot voor een wachtzin; zet de wachtzin op de "
        "eerste regel van een klein bestand.",
        "The passphrase file {path} is too large to hold a passphrase; put the passphrase "
        "on the first line of a small file.",
    ),
    "prompt_passphrase": ("Wachtzin: ", "Passphrase: "),
    "prompt_new": ("Nieuwe wachtzin: ", "New passphrase: "),
    "prompt_repeat": ("Herhaal de nieuwe wachtzin: ", "Repeat the new passphrase: "),
    "passphrases_differ": (
        "De twee wachtzinnen verschillen. Er is niets gewijzigd.",
        "The two passphrases differ. Nothing was changed.",
    ),
    "key_file_recovered": (
        "Waarschuwing: het sleutelbestand was beschadigd; de vorige kopie is gebruikt en "
        "opnieuw geschreven.",
        "Warning: the key file was damaged; its previous copy was used and has been rewritten.",
    ),
    "needs_confirmation": (
        "Dit vraagt om bevestiging; voer het uit in een terminal of voeg --yes toe.",
        "This needs confirmation; run it in a terminal or add --yes.",
    ),
    "cancelled": ("Afgebroken; er is niets gewijzigd.", "Cancelled; nothing was changed."),
    "bad_year": (
        "gebruik een jaar van {low} tot en met {high}, zoals 2025.",
        "use a year from {low} to {high}, such as 2025.",
    ),
    "bad_day": (
        "gebruik een datum zoals 2026-01-31 of 31-1-2026.",
        "use a date such as 2026-01-31 or 31-1-2026.",
    ),
    "file_exists": (
        "{path} bestaat al. Kies een andere bestandsnaam, of voeg --force toe om het te "
        "overschrijven; er is niets geschreven.",
        "{path} already exists. Choose another file name, or add --force to overwrite it; "
        "nothing was written.",
    ),
    "not_regular_written": (
        "{path} is geen gewoon bestand; er is niets geschreven.",
        "{path} is not a regular file; nothing was written.",
    ),
    "invalid_input": (
        "Ongeldige invoer. {parts} Er is niets gewijzigd.",
        "Invalid input. {parts} Nothing was changed.",
    ),
    "invalid_value": ("ongeldige waarde.", "not a valid value."),
    # org add | list | remove
    "org_added": (
        "Organisatie {name} toegevoegd (nummer {number}).",
        "Added organisation {name} (number {number}).",
    ),
    "no_orgs": (
        "Nog geen organisaties. Voeg er een toe met 'vp-desk org add NAAM'.",
        "No organisations yet. Add one with 'vp-desk org add NAME'.",
    ),
    "col_name": ("naam", "name"),
    "col_employees": ("medewerkers", "employees"),
    "col_open_cases": ("open meldingen", "open cases"),
    "need_shred": (
        "Een organisatie verwijderen wist al haar meldingen voorgoed; voeg --shred toe om "
        "te bevestigen dat u dat wilt.",
        "Removing an organisation erases all its cases for good; add --shred to confirm "
        "that this is what you want.",
    ),
    "confirm_shred": (
        "{name} en al haar meldingen voorgoed wissen? Dit kan niet ongedaan worden gemaakt.",
        "Erase {name} and all its cases for good? This cannot be undone.",
    ),
    "terms_start": ("begin", "start"),
    "terms_end": ("einde", "end"),
    "terms_hours": ("afgesproken uren per jaar", "agreed hours per year"),
    "terms_kind": ("intern/extern", "internal/external"),
    "org_shredded": (
        "Organisatie {name} is gewist. Oudere back-ups kunnen haar nog bevatten.",
        "Organisation {name} was erased. Older backups may still hold it.",
    ),
    # init | passwd | verify
    "folder_exists": (
        "Er is al een vp_desk-datamap in {path}.",
        "There is already a vp_desk data folder at {path}.",
    ),
    "folder_created": (
        "Nieuwe datamap aangemaakt in {path}.",
        "Created a new data folder at {path}.",
    ),
    "passphrase_changed": (
        "De wachtzin is gewijzigd; elke kluis heeft een nieuwe gegevenssleutel.",
        "The passphrase was changed; every vault has a new data key.",
    ),
    "reencrypting": ("Kluizen opnieuw versleutelen", "Re-encrypting vaults"),
    "verify_ok": (
        {
            "one": "Alle controles geslaagd: sleutelbestand, indexkluis, {count} "
            "organisatiekluis en de audittrail.",
            "other": "Alle controles geslaagd: sleutelbestand, indexkluis, {count} "
            "organisatiekluizen en hun audittrails.",
        },
        {
            "one": "All checks passed: key file, index vault, {count} organisation vault "
            "and its audit trail.",
            "other": "All checks passed: key file, index vault, {count} organisation "
            "vault(s) and their audit trails.",
        },
    ),
    "verify_problems": (
        {
            "one": "De controle vond {count} probleem:",
            "other": "De controle vond {count} problemen:",
        },
        {"one": "The check found {count} problem:", "other": "The check found {count} problems:"},
    ),
}
register("vp_desk.cli.common", MESSAGES)


def language() -> str:
    """The language of the running command (English outside one)."""
    try:
        return settings().language
    except RuntimeError:  # outside a command
        return "en"


def say(key: str, /, *, count: object = None, **params: object) -> str:
    """A message of the command line in the command's language."""
    return lookup(MESSAGES, key, language(), count=count, **params)


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
        fail(exc.text(language()), exc.exit_code)
    except _database_error() as exc:
        from vp_desk.services.storage import is_disk_full

        if is_disk_full(exc):
            fail(StorageFull().text(language()), 1)
        fail(say("damaged_page"), 1)
    except BrokenPipeError:
        # The reader went away (``vp-desk case list X | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        fail(say("interrupted"), 130)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO) and _from_output(exc):
            # The work may be done: only its message could not be written.
            silence_stdout()
            fail(say("stdout_full"), 1)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            fail(StorageFull().text(language()), 1)
        # File names only, never content.
        fail(
            say(
                "io_error",
                reason=os_reason(exc, language()),
                name=": " + os.path.basename(str(exc.filename)) if exc.filename else "",
            ),
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

    lang = language()
    parts = []
    for field, code in exc.field_errors.items():
        text = t(code, lang)
        if "{" in text:  # a message that needs figures the error does not carry
            text = say("invalid_value")
        parts.append(f"{field}: {text}")
    return say("invalid_input", parts=" ".join(parts))


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
        raise UsageError(say("no_passphrase"))
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
        raise UsageError(say("passphrase_file_unreadable", path=path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(say("passphrase_file_not_regular", path=path))
    if info.st_size > MAX_PASSPHRASE_FILE:
        raise UsageError(say("passphrase_file_too_large", path=path))


def _passphrase_file_in_use() -> str | None:
    from vp_desk.services.passphrase import ENV_PASSPHRASE_FILE

    return settings().passphrase_file or os.environ.get(ENV_PASSPHRASE_FILE)


def get_passphrase(prompt: str | None = None) -> str:
    from vp_desk.services.passphrase import from_environment

    check_passphrase_file(_passphrase_file_in_use())
    value = from_environment(settings().passphrase_file)
    if value is not None:
        return value
    return _prompt_hidden(prompt or say("prompt_passphrase"))


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
            value = _prompt_hidden(say("prompt_new"))
            if _prompt_hidden(say("prompt_repeat")) != value:
                raise UsageError(say("passphrases_differ"))
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
        click.echo(say("key_file_recovered"), err=True)
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
        raise UsageError(say("needs_confirmation"))
    if language() == "nl":
        # click.confirm knows only y/n; a Dutch user answers j (ja).
        answer = click.prompt(
            f"{question} [j/N]", default="", show_default=False, prompt_suffix=" "
        )
        agreed = answer.strip().lower() in ("j", "ja", "y", "yes")
    else:
        agreed = click.confirm(question, default=False)
    if not agreed:
        raise UsageError(say("cancelled"))


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
            self.fail(say("bad_year", low=MIN_YEAR, high=MAX_YEAR), param, ctx)
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
            self.fail(say("bad_day"), param, ctx)
        return day


YEAR = YearType()
DATE = DateType()


def refuse_existing(out: Path, force: bool) -> None:
    """Refuse to overwrite ``out`` unless --force was given (as ``backup`` does)."""
    if out.exists() and not force:
        raise UsageError(say("file_exists", path=out))
    if out.exists() and not out.is_file():
        raise UsageError(say("not_regular_written", path=out))


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
