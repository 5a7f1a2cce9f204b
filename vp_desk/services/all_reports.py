"""Every organisation's annual report in one go, after one unlock (the external
adviser's January): ``vp-desk report --all`` and the portfolio screen.

Each report goes through ``reporting.export`` exactly as a single report does
(disclosure control, the free-text check, the ledger), into its own file
``jaarverslag-<organisation>-<year>.<format>`` in one folder. An organisation
whose report is refused is skipped and listed with its reason; the others are
still written. An existing file is never replaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vp_desk.errors import UsageError, VpDeskError
from vp_desk.i18n import Text, lookup, register

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

#: Why an organisation's report was not written as asked (vp_desk/i18n.py).
REASONS: dict[str, tuple[Text, Text]] = {
    "exists": (
        "het bestand bestaat al; er is niets vervangen",
        "the file already exists; nothing was replaced",
    ),
    "ledger": (
        "de cijfers zijn veranderd sinds het verslag werd uitgegeven en zouden minder dan k "
        "casussen blootgeven (--withhold-changes geeft het uit met de casuscijfers achtergehouden)",
        "the figures changed since the report was issued and would single out fewer than k "
        "cases (--withhold-changes issues it with the case figures withheld)",
    ),
    "text": (
        "de vrije tekst lijkt persoonsgegevens te bevatten (bekijk hem, of --confirm-text)",
        "the free text seems to contain personal data (review it, or --confirm-text)",
    ),
    "disclosure": (
        "de cijfers kunnen niet veilig worden gepubliceerd",
        "the figures cannot be published safely",
    ),
    "withheld": (
        "geschreven met de casuscijfers achtergehouden (ze veranderden na uitgifte)",
        "written with the case figures withheld (they changed after issue)",
    ),
    "failed": ("niet gelukt: {error}", "failed: {error}"),
}
register("vp_desk.services.all_reports", REASONS)


@dataclass(frozen=True)
class OrgReport:
    org_id: int
    organisation: str
    path: Path | None  # None: not written
    reason: str = ""  # a key of REASONS ("" when written as asked)
    error: str = ""  # the error sentence for "failed"

    @property
    def written(self) -> bool:
        return self.path is not None

    def reason_text(self, lang: str) -> str:
        if not self.reason:
            return ""
        return lookup(REASONS, self.reason, lang, error=self.error)


def safe_file_part(name: str) -> str:
    """An organisation name as part of a file name: ASCII letters, digits and dashes."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:60] or "organisatie"


def file_name(org_name: str, org_id: int, year: int, fmt: str, taken: set[str]) -> str:
    name = f"jaarverslag-{safe_file_part(org_name)}-{year}.{fmt}"
    if name in taken:  # two names that differ only in punctuation
        name = f"jaarverslag-{safe_file_part(org_name)}-{org_id}-{year}.{fmt}"
    taken.add(name)
    return name


def export_all(
    desk: Desk,
    year: int,
    fmt: str,
    out_dir: Path,
    *,
    lang: str | None = None,
    final: bool = False,
    confirm_text: bool = False,
    withhold: bool = False,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[OrgReport]:
    """Write the report of every organisation; one ``OrgReport`` each, in name order."""
    from vp_desk.reports.errors import DisclosureError, LedgerConflict, TextNeedsReview
    from vp_desk.services import reporting

    if fmt not in reporting.FORMATS:
        raise UsageError(key="err_unknown_format", formats=", ".join(reporting.FORMATS))
    reporting._check_year(year)
    out_dir = Path(out_dir).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(key="err_out_dir_file")
    out_dir.mkdir(parents=True, exist_ok=True)
    orgs = desk.organisations()
    results: list[OrgReport] = []
    taken: set[str] = set()
    for n, org in enumerate(orgs, 1):
        path = out_dir / file_name(org.name, org.id, year, fmt, taken)
        result: OrgReport
        if path.exists():
            result = OrgReport(org.id, org.name, None, "exists")
        else:
            try:
                done = reporting.export(
                    desk,
                    org.id,
                    year,
                    fmt,
                    path,
                    lang=lang,
                    final=final,
                    confirm_text=confirm_text,
                    withhold=withhold,
                    today=today,
                )
                result = OrgReport(org.id, org.name, path, "withheld" if done.withheld else "")
            except LedgerConflict:
                result = OrgReport(org.id, org.name, None, "ledger")
            except TextNeedsReview:
                result = OrgReport(org.id, org.name, None, "text")
            except DisclosureError:
                result = OrgReport(org.id, org.name, None, "disclosure")
            except VpDeskError as exc:
                result = OrgReport(org.id, org.name, None, "failed", str(exc))
        results.append(result)
        if progress is not None:
            progress(n, len(orgs))
    return results
