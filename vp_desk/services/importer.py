"""Importing cases from a CSV or XLSX file (docs/en/daily-use.md, "Importing earlier records").

Two steps, so the command line and the TUI share every rule::

    from vp_desk.services import importer

    plan = importer.plan_import(path, lang)         # read + validate; writes nothing
    plan.ok_count, plan.bad_count                   # rows that would / would not import
    for err in plan.errors:                         # RowError, in file order
        print(err.message)                          # "line 7: behaviours: Unknown value: pestem."
    result = importer.apply_import(desk, org_id, plan, skip_bad=False,
                                   progress=lambda n: ...)
    result.codes                                    # the new case codes

``plan_import`` raises ``ImportFileError`` (a UsageError, exit status 2) when
the file as a whole cannot be used: missing, empty, too large, binary, an old
``.xls``, unknown or duplicate column names, no ``opened`` column. A bad *row*
is not an exception: it becomes a ``RowError`` with the file's line number
(header = line 1; a quoted cell spanning lines counts its lines) and reasons in
plain words in ``lang``. Reasons never quote notes.

``apply_import`` writes all good rows in ONE transaction through
``Desk.insert_cases`` (which also writes the audit row "import"): all or
nothing, also when the process is killed halfway. With bad rows it refuses
(``ImportRejected``, exit 2) unless ``skip_bad=True``. Rows are written in
order of their opening date, so case codes follow the calendar.

Each row's ``consultations`` (default 1) and ``minutes`` (default 0) become
real contact moments: the minutes are spread as evenly as possible (each
moment stays within 0-1440) and the dates evenly from the opening date to the
closing date. An open case has no end to spread to: its contact moments all
carry the opening date (dating them up to today would count imported work in
this month's hours).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vp_desk import vocabulary as voc
from vp_desk.domain.models import (
    MAX_MINUTES,
    MAX_NOTES,
    CaseData,
    CaseInput,
    ConsultationInput,
    validate_case,
    validate_consultation,
)
from vp_desk.errors import UsageError, ValidationError
from vp_desk.i18n import Text, lookup, register, t
from vp_desk.textsafe import clean_line

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_XLSX_UNPACKED = 512 * 1024 * 1024
MAX_ROWS = 100_000
MAX_CONSULTATIONS = 200

#: canonical column -> accepted header names (English first, then Dutch)
COLUMNS: dict[str, tuple[str, ...]] = {
    "opened": ("opened", "geopend", "datum"),
    "closed": ("closed", "gesloten"),
    "contact_role": ("contact_role", "rol"),
    "behaviours": ("behaviours", "gedrag", "aard"),
    "relation": ("relation", "relatie"),
    "help": ("help", "hulp"),
    "referrals": ("referrals", "doorverwijzing"),
    "outcome": ("outcome", "vervolg"),
    "channel": ("channel", "kanaal"),
    "consultations": ("consultations", "contactmomenten"),
    "minutes": ("minutes", "minuten"),
    "notes": ("notes", "notities"),
}
_HEADER_NAMES = {name: col for col, names in COLUMNS.items() for name in names}

#: validation field -> (import column, vocabulary dimension or None)
_FIELDS: dict[str, tuple[str, str | None]] = {
    "opened": ("opened", None),
    "closed": ("closed", None),
    "behaviours": ("behaviours", "behaviour"),
    "primary_behaviour": ("behaviours", "behaviour"),
    "contact_role": ("contact_role", "contact_role"),
    "relation": ("relation", "relation"),
    "help": ("help", "help"),
    "referrals": ("referrals", "referrals"),
    "outcome": ("outcome", "outcome"),
    "channel": ("channel", "channel"),
    "notes": ("notes", None),
    "follow_up": ("closed", None),
}
_MULTI = {"behaviours": "behaviour", "help": "help", "referrals": "referrals"}

MESSAGES: dict[str, tuple[Text, Text]] = {
    "line": ("regel {line}", "line {line}"),
    "missing": ("Het bestand {name} bestaat niet.", "The file {name} does not exist."),
    "unreadable": (
        "Het bestand {name} kan niet worden gelezen.",
        "The file {name} cannot be read.",
    ),
    "not_regular": (
        "{name} is geen gewoon bestand (maar een map, apparaat of pijp); "
        "kies een CSV- of XLSX-bestand.",
        "{name} is not a regular file (it is a folder, device or pipe); choose a CSV or XLSX file.",
    ),
    "too_large": (
        "Het bestand is te groot ({size} MB; maximaal {max} MB). Splits het in kleinere bestanden.",
        "The file is too large ({size} MB; at most {max} MB). Split it into smaller files.",
    ),
    "too_many_rows": (
        "Het bestand heeft meer dan {max} regels. Splits het in kleinere bestanden.",
        "The file has more than {max} rows. Split it into smaller files.",
    ),
    "empty": (
        "Het bestand is leeg. Zet op de eerste regel de kolomnamen "
        "(bijvoorbeeld geopend;gedrag) en daaronder één zaak per regel.",
        "The file is empty. Put the column names on the first line "
        "(for example opened,behaviours) and one case per line below it.",
    ),
    "no_rows": (
        "Het bestand heeft alleen kolomnamen en geen zaken.",
        "The file has column names but no cases.",
    ),
    "binary": (
        "Dit is geen CSV- of XLSX-bestand. Sla het in Excel op als CSV of als "
        "Excel-werkmap (.xlsx).",
        "This is not a CSV or XLSX file. Save it from your spreadsheet as CSV "
        "or as an Excel workbook (.xlsx).",
    ),
    "bad_csv": (
        "Het bestand kan vanaf regel {line} niet als CSV worden gelezen.",
        "The file cannot be read as CSV from line {line} on.",
    ),
    "old_xls": (
        "Dit is een oud Excel-bestand (.xls). Sla het op als .xlsx of als CSV.",
        "This is an old Excel file (.xls). Save it as .xlsx or as CSV.",
    ),
    "bad_xlsx": (
        "Het bestand kan niet als Excel-werkmap (.xlsx) worden gelezen.",
        "The file cannot be read as an Excel workbook (.xlsx).",
    ),
    "no_header": (
        "De eerste regel bevat geen bekende kolomnamen. Verwacht wordt een kopregel "
        "zoals: geopend;gesloten;gedrag;notities.",
        "The first line holds no known column names. A header such as "
        "opened,closed,behaviours,notes is expected.",
    ),
    "unknown_columns": (
        "Onbekende kolom(men): {names}. Bekende kolommen: {known}.",
        "Unknown column(s): {names}. Known columns: {known}.",
    ),
    "duplicate_columns": (
        "Kolom staat er meer dan eens in: {names}.",
        "Column given more than once: {names}.",
    ),
    "no_opened": (
        "De kolom 'geopend' (of 'opened', 'datum') ontbreekt; die is verplicht.",
        "The column 'opened' (or 'geopend', 'datum') is missing; it is required.",
    ),
    "minutes_too_many": (
        "Meer minuten dan in {count} contactmoment(en) passen (maximaal 1440 per contactmoment).",
        "More minutes than fit in {count} contact moment(s) (at most 1440 each).",
    ),
    "minutes_without_contacts": (
        "Minuten zonder contactmomenten.",
        "Minutes given but no contact moments.",
    ),
    "long_value": (
        "een tekst van {n} tekens (is er een kolom verschoven?)",
        "a text of {n} characters (is a column shifted?)",
    ),
    "value_without_column": (
        "Een waarde in kolom {column}, die geen naam heeft.",
        "A value in column {column}, which has no name.",
    ),
    "rejected": (
        "{count} regel(s) zijn niet in orde; er is niets geïmporteerd. Verbeter het "
        "bestand, of gebruik --skip-bad om alleen de goede regels te importeren.",
        "{count} row(s) are not valid; nothing was imported. Correct the file, "
        "or use --skip-bad to import only the good rows.",
    ),
}


register("vp_desk.services.importer", MESSAGES)


def msg(key: str, lang: str, **params: object) -> str:
    return lookup(MESSAGES, key, lang, **params)


class ImportFileError(UsageError):
    """The file as a whole cannot be imported (exit status 2)."""


class ImportRejected(UsageError):
    """The file has bad rows and ``skip_bad`` was not given; nothing was written."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        super().__init__(msg("rejected", plan.lang, count=plan.bad_count))


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file (header = 1)
    reasons: tuple[str, ...]  # plain words, in the plan's language
    fields: tuple[str, ...]  # the import columns concerned
    lang: str = "en"

    @property
    def message(self) -> str:
        return f"{msg('line', self.lang, line=self.line)}: {' '.join(self.reasons)}"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class PlannedCase:
    line: int
    case: CaseData
    consultations: tuple[dict[str, Any], ...]

    @property
    def minutes(self) -> int:
        return sum(c["minutes"] for c in self.consultations)


@dataclass(frozen=True)
class ImportPlan:
    path: Path
    lang: str
    kind: str  # "csv" or "xlsx"
    columns: tuple[str, ...]  # canonical columns found, in file order
    rows: tuple[PlannedCase, ...]  # good rows, in file order
    errors: tuple[RowError, ...] = field(default_factory=tuple)

    @property
    def ok_count(self) -> int:
        return len(self.rows)

    @property
    def bad_count(self) -> int:
        return len(self.errors)

    @property
    def total_rows(self) -> int:
        return self.ok_count + self.bad_count

    @property
    def consultation_count(self) -> int:
        return sum(len(r.consultations) for r in self.rows)

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)


@dataclass(frozen=True)
class ImportResult:
    codes: tuple[str, ...]
    skipped: tuple[RowError, ...]
    consultations: int


# -- reading the file -----------------------------------------------------------------


def _file_error(key: str, lang: str, **params: object) -> ImportFileError:
    return ImportFileError(msg(key, lang, **params))


def check_file(path: Path, lang: str) -> int:
    """Refuse at once, before reading a byte, a missing file, anything that is
    not a regular file (``/dev/zero``, a pipe, a folder) or a file that is too
    large; returns its size."""
    name = Path(path).name
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _file_error("missing", lang, name=name) from None
    except (OSError, ValueError):
        raise _file_error("unreadable", lang, name=name) from None
    if not stat.S_ISREG(info.st_mode):
        raise _file_error("not_regular", lang, name=name)
    if info.st_size > MAX_FILE_BYTES:
        raise _file_error(
            "too_large",
            lang,
            size=info.st_size // (1024 * 1024),
            max=MAX_FILE_BYTES // (1024 * 1024),
        )
    return info.st_size


def _read_bytes(path: Path, lang: str) -> bytes:
    """The file's bytes, read from a descriptor that is checked again after
    opening (no swap for a device in between) and never past the size limit."""
    name = path.name
    check_file(path, lang)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise _file_error("unreadable", lang, name=name) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _file_error("not_regular", lang, name=name)
        chunks = []
        total = 0
        while block := os.read(fd, 1 << 20):
            chunks.append(block)
            total += len(block)
            if total > MAX_FILE_BYTES:
                raise _file_error(
                    "too_large",
                    lang,
                    size=total // (1024 * 1024),
                    max=MAX_FILE_BYTES // (1024 * 1024),
                )
        return b"".join(chunks)
    except OSError:
        raise _file_error("unreadable", lang, name=name) from None
    finally:
        os.close(fd)


def _decode(raw: bytes, lang: str) -> str:
    if b"\x00" in raw:
        raise _file_error("binary", lang)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise _file_error("binary", lang) from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > max(8, len(text[:65536]) // 100):
        raise _file_error("binary", lang)
    return text


def _delimiter(first_line: str) -> str:
    """The separator that splits the header into the most known column names."""
    best, best_score = ",", (-1, -1)
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if _normalise_header(c) in _HEADER_NAMES)
        score = (known, first_line.count(delimiter))
        if score > best_score:
            best, best_score = delimiter, score
    return best


_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


def _csv_rows(text: str, lang: str) -> Iterator[tuple[int, list[object]]]:
    """(line number, cells) for each non-blank record of a CSV text."""
    lines = re.split(r"\r\n|\r|\n", text)  # the same line ends the csv module counts
    if not lines:
        return
    first = 0
    delimiter = None
    match = _SEP_LINE.match(lines[0])
    if match:  # Excel's "sep=;" hint line
        delimiter = match.group(1)
        first = 1
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines):
        return
    delimiter = delimiter or _delimiter(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _file_error("bad_csv", lang, line=start) from None
        if start <= first:
            continue
        yield start, list(record)


def _xlsx_rows(path: Path, lang: str) -> Iterator[tuple[int, list[object]]]:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _file_error("bad_xlsx", lang) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise _file_error(
            "too_large",
            lang,
            size=unpacked // (1024 * 1024),
            max=MAX_XLSX_UNPACKED // (1024 * 1024),
        )
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a broken workbook
            raise _file_error("bad_xlsx", lang) from None
        try:
            sheet = book.active or (book.worksheets[0] if book.worksheets else None)
            if sheet is None:
                raise _file_error("bad_xlsx", lang)
            # The stored dimensions are often wrong: read every row there is.
            sheet.reset_dimensions()
            try:
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
                    yield number, list(values)
            except ImportFileError:
                raise
            except Exception:
                raise _file_error("bad_xlsx", lang) from None
        finally:
            book.close()


def _is_blank(cells: Sequence[object]) -> bool:
    return all(_cell_text(c) == "" for c in cells)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _normalise_header(name: object) -> str:
    text = clean_line(_cell_text(name)).strip("\"' ").casefold()
    return re.sub(r"[\s\-]+", "_", text)


def _shown(value: object, limit: int = 40) -> str:
    text = clean_line(_cell_text(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown_value(value: str, lang: str) -> str:
    """A short code-like value is quoted back; a long text is not (it may be a shifted note)."""
    text = clean_line(value)
    if len(text) <= 30:
        return f"'{text}'"
    return msg("long_value", lang, n=len(text))


def _header(cells: list[object], lang: str) -> tuple[list[str | None], dict[str, str]]:
    """Map each header cell to a canonical column (None for an unnamed column).

    Returns the mapping and the header names as written (for messages).
    """
    mapping: list[str | None] = []
    written: dict[str, str] = {}
    unknown: list[str] = []
    duplicate: list[str] = []
    for cell in cells:
        key = _normalise_header(cell)
        if not key:
            mapping.append(None)
            continue
        column = _HEADER_NAMES.get(key)
        if column is None:
            unknown.append(_shown(cell, 30))
            mapping.append(None)
        elif column in written:
            duplicate.append(f"{written[column]} / {_shown(cell, 30)}")
            mapping.append(None)
        else:
            written[column] = _shown(cell, 30)
            mapping.append(column)
    if not written:
        raise _file_error("no_header", lang)
    if unknown:
        known = ", ".join(names[1 if lang == "nl" else 0] for names in COLUMNS.values())
        raise _file_error(
            "unknown_columns", lang, names=", ".join(f"'{u}'" for u in unknown[:10]), known=known
        )
    if duplicate:
        raise _file_error("duplicate_columns", lang, names=", ".join(duplicate))
    if "opened" not in written:
        raise _file_error("no_opened", lang)
    return mapping, written


# -- one row ------------------------------------------------------------------------------


def split_values(text: str) -> list[str]:
    """Several values in one cell: split on ``|``, else on commas outside brackets.

    Labels such as "Care (GP, psychologist, social work)" hold commas of their
    own; they survive because commas inside brackets do not split.
    """
    if "|" in text:
        return [p.strip() for p in text.split("|") if p.strip()]
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _count(value: str, low: int, high: int, default: int) -> tuple[int, str | None]:
    if not value:
        return default, None
    try:
        number = int(value)
    except ValueError:
        return default, "not_a_number"
    if not low <= number <= high:
        return default, "range"
    return number, None


def spread_consultations(
    case: CaseData, count: int, minutes: int, until: date | None = None
) -> tuple[dict[str, Any], ...]:
    """``count`` contact moments holding ``minutes`` in total, dated from opened to
    closed (``until`` for an open case; by default its opening date, not today)."""
    if count <= 0:
        return ()
    end = case.closed or max(case.opened, until or case.opened)
    span = (end - case.opened).days
    base, extra = divmod(minutes, count)
    result = []
    for i in range(count):
        offset = 0 if count == 1 else round(i * span / (count - 1))
        values = validate_consultation(
            ConsultationInput(
                case.opened + timedelta(days=offset), base + (1 if i < extra else 0), case.channel
            )
        )
        result.append(values)
    return tuple(result)


def _field_reason(
    field_name: str, code: str, raw: dict[str, object], written: dict[str, str], lang: str
) -> tuple[str, str]:
    column, dimension = _FIELDS.get(field_name, (field_name, None))
    params: dict[str, object] = {"max": MAX_NOTES, "low": 0, "high": MAX_CONSULTATIONS}
    if code == "unknown_code" and dimension is not None:
        cell = _cell_text(raw.get(column))
        parts = split_values(cell) if column in _MULTI else [cell]
        bad = [p for p in parts if p and voc.lookup(dimension, p) is None]
        params["value"] = ", ".join(_shown_value(b, lang) for b in bad[:3]) or "?"
    name = written.get(column) or COLUMNS.get(column, (column,))[0]
    return column, f"{name}: {t(code, lang, **params)}"


def _plan_row(
    line: int, cells: list[object], mapping: list[str | None], written: dict[str, str], lang: str
) -> PlannedCase | RowError:
    raw: dict[str, object] = {}
    reasons: list[tuple[str, str]] = []
    for index, value in enumerate(cells):
        column = mapping[index] if index < len(mapping) else None
        if column is None:
            if _cell_text(value):
                reasons.append(("", msg("value_without_column", lang, column=index + 1)))
            continue
        raw[column] = value
    text = {k: _cell_text(v) for k, v in raw.items()}
    data = CaseInput(
        opened=raw.get("opened")
        if isinstance(raw.get("opened"), (date, datetime))
        else text.get("opened", ""),
        closed=raw.get("closed")
        if isinstance(raw.get("closed"), (date, datetime))
        else text.get("closed", ""),
        behaviours=split_values(text.get("behaviours", "")),
        contact_role=text.get("contact_role") or None,
        relation=text.get("relation") or None,
        help=split_values(text.get("help", "")),
        referrals=split_values(text.get("referrals", "")),
        outcome=text.get("outcome") or None,
        channel=text.get("channel") or None,
        # Notes keep their own line breaks; validate_case strips control characters.
        notes="" if raw.get("notes") is None else str(raw.get("notes")),
    )
    case: CaseData | None = None
    try:
        case = validate_case(data)
    except ValidationError as exc:
        for field_name, code in exc.field_errors.items():
            reasons.append(_field_reason(field_name, code, raw, written, lang))
    count, problem = _count(text.get("consultations", ""), 0, MAX_CONSULTATIONS, 1)
    if problem:
        reasons.append(_field_reason("consultations", problem, raw, written, lang))
    minutes, problem = _count(text.get("minutes", ""), 0, MAX_CONSULTATIONS * MAX_MINUTES, 0)
    name = written.get("minutes", "minutes")
    if problem == "not_a_number" or (problem and not text["minutes"].lstrip().startswith("-")):
        reasons.append(
            ("minutes", f"{name}: {t('not_a_number', lang)}")
            if problem == "not_a_number"
            else ("minutes", f"{name}: {msg('minutes_too_many', lang, count=count)}")
        )
    elif problem:
        reasons.append(("minutes", f"{name}: {t('range', lang, low=0, high=count * MAX_MINUTES)}"))
    elif minutes > count * MAX_MINUTES:
        key = "minutes_without_contacts" if count == 0 else "minutes_too_many"
        reasons.append(("minutes", f"{name}: {msg(key, lang, count=count)}"))
    if reasons or case is None:
        ordered = tuple(dict.fromkeys(r for _, r in reasons))
        return RowError(line, ordered, tuple(dict.fromkeys(c for c, _ in reasons if c)), lang)
    return PlannedCase(line, case, spread_consultations(case, count, minutes))


def plan_import(
    path: Path | str, lang: str = "en", *, progress: Callable[[int], None] | None = None
) -> ImportPlan:
    """Read and validate ``path`` (CSV or XLSX); nothing is written anywhere."""
    lang = "nl" if lang == "nl" else "en"
    path = Path(path)
    raw = _read_bytes(path, lang)
    if not raw.strip(b" \t\r\n") or raw.strip(b" \t\r\n") == b"\xef\xbb\xbf":
        raise _file_error("empty", lang)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error("old_xls", lang)
    if raw.startswith(b"PK\x03\x04"):
        kind, records = "xlsx", _xlsx_rows(path, lang)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise _file_error("bad_xlsx", lang)
    else:
        kind, records = "csv", _csv_rows(_decode(raw, lang), lang)
    mapping: list[str | None] | None = None
    written: dict[str, str] = {}
    rows: list[PlannedCase] = []
    errors: list[RowError] = []
    for line, cells in records:
        if _is_blank(cells):
            continue
        if mapping is None:
            mapping, written = _header(cells, lang)
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise _file_error("too_many_rows", lang, max=MAX_ROWS)
        planned = _plan_row(line, cells, mapping, written, lang)
        if isinstance(planned, RowError):
            errors.append(planned)
        else:
            rows.append(planned)
        if progress is not None:
            progress(len(rows) + len(errors))
    if mapping is None:
        raise _file_error("empty", lang)
    if not rows and not errors:
        raise _file_error("no_rows", lang)
    columns = tuple(c for c in mapping if c)
    return ImportPlan(path, lang, kind, columns, tuple(rows), tuple(errors))


def apply_import(
    desk: Desk,
    org_id: int,
    plan: ImportPlan,
    *,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Write the plan's good rows in one transaction (all or nothing).

    Raises ImportRejected (nothing written) when the plan has bad rows and
    ``skip_bad`` is false.
    """
    if plan.errors and not skip_bad:
        raise ImportRejected(plan)
    ordered = sorted(plan.rows, key=lambda r: (r.case.opened, r.line))
    codes: tuple[str, ...] = ()
    if ordered:
        codes = tuple(
            desk.insert_cases(
                org_id,
                ((r.case, r.consultations) for r in ordered),
                event="import",
                progress=progress,
            )
        )
    return ImportResult(codes, plan.errors, plan.consultation_count)
