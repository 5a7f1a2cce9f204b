"""The one translation mechanism, language choice and number formatting.

Every module keeps its own table of user-visible texts beside its code, in one
shape: ``{key: (dutch, english)}``. A text may have plural forms, given as
``{"one": ..., "other": ...}`` in place of a string; ``count=`` picks one (and is
passed on as ``{count}``). Tables are registered by name with :func:`register`,
so a test can check every entry and every literal key used (tests/test_i18n.py).

- :func:`lookup` (``lookup(table, key, lang, count=None, **params)``) is the one
  lookup; the helpers elsewhere (``pick`` in the app, ``s`` for reports, ...) are
  thin wrappers over it.
- A missing key raises :class:`MissingText` when ``VP_DESK_STRICT_I18N`` is set
  (the tests set it); otherwise the key itself is shown, visibly. The key test
  guarantees every literal key used exists in both languages.
- :func:`t` looks up the core's messages (validation, CLI errors) below.
- :func:`format_number` and :func:`format_hours` write numbers with a decimal
  comma and a thousands point in Dutch.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from typing import TypeAlias, TypeVar

LANGS = ("nl", "en")

#: One language's text: a string, or plural forms ``{"one": ..., "other": ...}``.
Text: TypeAlias = str | Mapping[str, str]
#: A table: ``{key: (dutch, english)}``.
Table: TypeAlias = Mapping[str, tuple[Text, Text]]

#: Every registered table by name (``module`` or ``module:TABLE``).
TABLES: dict[str, Table] = {}


class MissingText(KeyError):
    """A text key that is not in its table (raised only in strict mode)."""


def strict() -> bool:
    return bool(os.environ.get("VP_DESK_STRICT_I18N"))


def register(name: str, table: Table) -> Table:
    """Record ``table`` under ``name`` (for the key test) and return it."""
    TABLES[name] = table
    return table


_T = TypeVar("_T")


def in_lang(pair: tuple[_T, _T], lang: str) -> _T:
    """The one of a ``(dutch, english)`` pair for ``lang`` (nl, else English).

    The only place that chooses between the two; :func:`lookup` uses it, and so do
    texts that arrive in both languages already (a reminder of the checks at unlock).
    """
    return pair[0] if lang == "nl" else pair[1]


def _plural(text: Text, count: object) -> str:
    if isinstance(text, str):
        return text
    if count is not None and count == 1 and "one" in text:
        return text["one"]
    return text["other"]


def lookup(table: Table, key: str, lang: str, /, *, count: object = None, **params: object) -> str:
    """The text ``key`` of ``table`` in ``lang`` (nl, else English), formatted.

    ``count`` picks a plural form and is available as ``{count}``.
    """
    pair = table.get(key)
    if pair is None:
        if strict():
            raise MissingText(key)
        return key
    text = _plural(in_lang(pair, lang), count)
    if count is not None:
        params.setdefault("count", count)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError):  # a text that needs figures the caller does not have
        return text


def _group(text: str, lang: str) -> str:
    """``1,234.5`` (as Python writes it) in the conventions of ``lang``."""
    if lang == "nl":
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def format_number(
    value: float, lang: str, decimals: int = 0, *, grouping: bool = True, trim: bool = False
) -> str:
    """``value`` with ``decimals`` decimals; in Dutch a decimal comma and a thousands point.

    ``trim`` drops trailing zeros (and a bare decimal separator).
    """
    text = f"{value:{',' if grouping else ''}.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return _group(text, lang)


def format_hours(
    hours: float | None = None,
    lang: str = "en",
    *,
    minutes: int | None = None,
    grouping: bool = True,
) -> str:
    """Hours with one decimal (from ``hours`` or ``minutes``), a decimal comma in Dutch."""
    value = hours if minutes is None else minutes / 60
    return format_number(value or 0.0, lang, 1, grouping=grouping)


def default_lang() -> str:
    """Dutch for an ``nl_*`` locale, else English (docs/architecture.md, "Command-line contract")."""
    for var in ("VP_DESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover
        loc = ""
    return "nl" if loc.lower().startswith("nl") else "en"


MESSAGES: dict[str, tuple[Text, Text]] = {
    "required": ("Verplicht veld.", "This field is required."),
    "bad_date": (
        "Geen geldige datum (JJJJ-MM-DD of D-M-JJJJ).",
        "Not a valid date (YYYY-MM-DD or D-M-YYYY).",
    ),
    "date_future": ("Deze datum ligt in de toekomst.", "This date is in the future."),
    "date_too_old": ("Deze datum ligt voor het jaar 2000.", "This date is before 2000."),
    "closed_before_opened": (
        "De sluitdatum ligt voor de openingsdatum.",
        "The closing date is before the opening date.",
    ),
    "closed_before_contact": (
        "De sluitdatum ligt voor een contactmoment van deze casus.",
        "The closing date is before a contact moment of this case.",
    ),
    "unknown_code": ("Onbekende waarde: {value}.", "Unknown value: {value}."),
    "primary_not_in_behaviours": (
        "Het hoofdgedrag moet een van de gekozen gedragingen zijn.",
        "The primary behaviour must be one of the behaviours.",
    ),
    "need_behaviour": ("Kies ten minste één soort gedrag.", "Choose at least one behaviour."),
    "minutes_range": (
        "Minuten moeten tussen 0 en 1440 liggen.",
        "Minutes must be between 0 and 1440.",
    ),
    "not_a_number": ("Geen geheel getal.", "Not a whole number."),
    "too_long": ("Te lang (maximaal {max} tekens).", "Too long (at most {max} characters)."),
    "range": ("Moet tussen {low} en {high} liggen.", "Must be between {low} and {high}."),
    "threshold_min": ("De drempel is minimaal 3.", "The threshold is at least 3."),
    "outcome_needed": ("Kies een vervolg bij het sluiten.", "Choose an outcome when closing."),
    "follow_up_before_opened": (
        "De vervolgdatum ligt voor de openingsdatum.",
        "The follow-up date is before the opening date.",
    ),
    "duplicate_name": (
        "Er is al een organisatie met deze naam.",
        "There is already an organisation with this name.",
    ),
    "lang": ("Kies nl of en.", "Choose nl or en."),
    # h7-desk: appointment terms of an organisation
    "contract_end_before_start": (
        "Het einde van de aanstelling ligt voor het begin.",
        "The end of the appointment is before its start.",
    ),
    "agreed_hours_range": (
        "De afgesproken uren per jaar liggen tussen 0 en 10000.",
        "The agreed hours per year are between 0 and 10000.",
    ),
    # h11-i18n: the errors of vp_desk.errors (``VpDeskError(key=...)``)
    "err_wrong_passphrase": (
        "De wachtzin klopt niet. Probeer het opnieuw; er is niets gewijzigd.",
        "The passphrase is wrong. Try again; nothing was changed.",
    ),
    "err_damaged": (
        "Het bestand {part} is beschadigd of gewijzigd. Zet het terug uit een back-up; "
        "'vp-desk verify' geeft de details.",
        "The {part} is damaged or was tampered with. Restore it from a backup; run "
        "'vp-desk verify' for details.",
    ),
    "err_newer_schema": (
        "Het bestand {part} is geschreven door een nieuwere versie van vp_desk (schema {found}; "
        "deze versie leest tot en met {supported}). Er is niets gewijzigd; werk vp_desk bij "
        "om het te openen.",
        "The {part} was written by a newer version of vp_desk (schema {found}; this version "
        "reads up to {supported}). Nothing was changed; update vp_desk to open it.",
    ),
    "err_already_running": (
        "vp_desk is al geopend op de datamap {path}. Sluit eerst het andere venster.",
        "vp_desk is already open on the data folder {path}. Close the other window first.",
    ),
    "err_not_initialised": (
        "Er is geen vp_desk-datamap in {path}. Maak er een met 'vp-desk init' of open "
        "'vp-desk' om er een in te richten.",
        "There is no vp_desk data folder at {path}. Create one with 'vp-desk init' or open "
        "'vp-desk' to set one up.",
    ),
    "err_unsafe_sqlite": (
        "De geïnstalleerde SQLite versleutelt niet (SQLCipher ontbreekt). vp_desk werkt "
        "daar niet mee; installeer het pakket 'sqlcipher3' opnieuw.",
        "The installed SQLite has no encryption (SQLCipher missing). vp_desk refuses to run "
        "without it; reinstall the 'sqlcipher3' package.",
    ),
    "err_storage_full_folder": (
        "Er is niet genoeg schijfruimte om de datamap te schrijven. Er is niets gewijzigd; "
        "maak ruimte vrij en probeer het opnieuw.",
        "There is not enough disk space to write the data folder. Nothing was changed; free "
        "some space and try again.",
    ),
    "err_storage_full": (
        "Er is niet genoeg schijfruimte om {what} te schrijven. Er is niets gewijzigd; maak "
        "ruimte vrij en probeer het opnieuw.",
        "There is not enough disk space to write {what}. Nothing was changed; free some "
        "space and try again.",
    ),
    "err_invalid": ("Ongeldige invoer ({detail}).", "Invalid input ({detail})."),
    "invalid_value": ("ongeldige waarde.", "not a valid value."),
    "err_hold_delete": (
        "Melding {code} staat onder bewaarplicht (legal hold); hef die op voordat u de "
        "melding verwijdert.",
        "Case {code} is on legal hold; lift the hold before deleting it.",
    ),
    "err_hold_destroy": (
        "Melding {code} staat onder bewaarplicht (legal hold); hef die op voordat u de "
        "melding vernietigt.",
        "Case {code} is on legal hold; lift the hold before destroying it.",
    ),
    "err_already_destroyed": (
        "Melding {code} is al vernietigd.",
        "Case {code} was already destroyed.",
    ),
    "err_handover_name_taken": (
        "Er is hier al een organisatie met de naam {name}. Geef de nieuwe een andere naam "
        "met --name; er is niets gewijzigd.",
        "There is already an organisation called {name} here. Give the new one another "
        "name with --name; nothing was changed.",
    ),
    "err_handover_newer": (
        "Het overdrachtsbestand is gemaakt door een nieuwere vp_desk. Werk vp_desk eerst "
        "bij; er is niets gewijzigd.",
        "The hand-over file was made by a newer vp_desk. Update vp_desk first; nothing was "
        "changed.",
    ),
    "err_out_exists": (
        "{path} bestaat al. Kies een andere bestandsnaam; er is niets geschreven.",
        "{path} already exists. Choose another file name; nothing was written.",
    ),
    "err_backup_inside": (
        "Schrijf de back-up buiten de datamap (bijvoorbeeld op een andere schijf); er is "
        "niets geschreven.",
        "Write the backup outside the data folder (for example on another disk); nothing "
        "was written.",
    ),
    "err_no_folder": ("De map {path} bestaat niet.", "The folder {path} does not exist."),
    "err_is_folder": (
        "{path} is een map; geef een bestandsnaam.",
        "{path} is a folder; give a file name.",
    ),
    "err_year_number": (
        "Het jaar moet een getal zijn, zoals 2026.",
        "The year must be a number such as 2026.",
    ),
    "err_year_range": (
        "Het jaar moet tussen 2000 en 2200 liggen.",
        "The year must be between 2000 and 2200.",
    ),
    "err_out_folder": (
        "--out moet een bestand noemen, geen map.",
        "--out must name a file, not a folder.",
    ),
    "err_out_no_folder": (
        "De map voor {name} bestaat niet; maak hem aan of kies een andere plek. Er is niets "
        "geschreven.",
        "The folder for {name} does not exist; create it or choose another place. Nothing "
        "was written.",
    ),
    "err_out_exists_force": (
        "{name} bestaat al. Voeg --force toe om het te vervangen, of kies een andere "
        "bestandsnaam; er is niets geschreven.",
        "{name} already exists. Add --force to replace it, or choose another file name; "
        "nothing was written.",
    ),
    "err_forget_confirm": (
        "Concepten vergeten vraagt om een uitdrukkelijke bevestiging (--yes): doe dit alleen "
        "voor concepten die uw bureau nooit hebben verlaten.",
        "Forgetting drafts needs an explicit confirmation (--yes): only do this for drafts "
        "that never left your desk.",
    ),
    "err_period_backwards": (
        "--to ligt voor --from; geef een periode die vooruit loopt.",
        "--to is before --from; give a period that runs forward.",
    ),
    "err_invoice_years": (
        "Een urenspecificatie beslaat maanden tussen 2000 en 2200.",
        "An invoice specification covers months between 2000 and 2200.",
    ),
    "err_invoice_whole_months": (
        "Een urenspecificatie beslaat hele maanden: --from moet de eerste dag van een maand "
        "zijn en --to de laatste dag van een maand (bijv. --from 2026-01-01 --to 2026-03-31).",
        "An invoice specification covers whole months: --from must be the first day of a "
        "month and --to the last day of a month (e.g. --from 2026-01-01 --to 2026-03-31).",
    ),
    "err_invoice_ended": (
        "Een urenspecificatie beslaat maanden die voorbij zijn; --to moet in het verleden "
        "liggen. Er is niets geschreven.",
        "An invoice specification covers months that have ended; --to must lie in the past. "
        "Nothing was written.",
    ),
    "err_invoice_undisclosed": (
        "Een urenspecificatie toont de werkgever de uren aan meldingen, en de uren aan "
        "meldingen van deze organisatie worden niet bekendgemaakt. Kies eerst om ze bekend te "
        "maken (vp-desk hours ORG --disclose-case-hours yes, of in de app); het jaarverslag "
        "vermeldt dat dan.",
        "An invoice specification shows the hours on cases to the employer, and this "
        "organisation's casework hours are not disclosed. Choose to disclose them first "
        "(vp-desk hours ORG --disclose-case-hours yes, or in the app); the annual report "
        "will then say so.",
    ),
    "err_invoice_report_changed": (
        "Een verslag over {year} met de uren aan meldingen is al geschreven op {issued}, en "
        "de uren aan meldingen van dat jaar zijn sindsdien veranderd. Deze specificatie maakt "
        "het jaar compleet, dus naast het verslag zou ze de wijziging (en zo het late werk) "
        "tonen; er is niets geschreven. Laat deze periode buiten de specificaties (uw "
        "gedetailleerde urenoverzicht blijft beschikbaar).",
        "A report for {year} with the hours on cases was already written on {issued}, and "
        "the hours on cases of that year changed since. This specification completes the "
        "year, so set beside the report it would show the change (and so the late work); "
        "nothing was written. Leave this period off the specifications (your detailed hours "
        "view stays available).",
    ),
    "err_invoice_changed": (
        "Een urenspecificatie over {months} is al geschreven op {issued}, en de uren van die "
        "periode zijn sindsdien veranderd. Een nieuwe specificatie zou de wijziging (en zo "
        "het late werk) tonen; er is niets geschreven. Specificeer de maanden die nog niet "
        "zijn gespecificeerd, of houd de eerdere specificatie.",
        "An invoice specification covering {months} was already written on {issued}, and "
        "the hours of that period changed since. A new specification would show the change "
        "(and so the late work); nothing was written. Invoice the months not yet specified, "
        "or keep the earlier specification.",
    ),
    "err_disclosure": (
        "Het verslag is niet geschreven: de openbaarheidscontrole vond dat een afgeschermd "
        "aantal kon worden afgeleid ({problems}). Meld dit alstublieft als fout.",
        "The report was not written: the disclosure check found that a hidden count could "
        "be worked out ({problems}). Please report this as a bug.",
    ),
    "err_text_review": (
        "Het verslag is niet geschreven: de vrije tekst lijkt persoonsgegevens te bevatten "
        "({lines}). Pas de tekst aan, of bevestig dat hij zo naar de werkgever mag "
        "(--confirm-text, of 'Tekst bevestigen' in het verslagscherm).",
        "The report was not written: the free text seems to contain personal data ({lines}). "
        "Edit the text, or confirm that it may go to the employer as it is (--confirm-text, "
        "or 'Confirm text' in the report screen).",
    ),
    "err_ledger_conflict": (
        "Een verslag over {year} is al geschreven op {issued} (een concept of een definitief: "
        "elk geschreven verslag kan de werkgever bereiken). Sindsdien zijn de cijfers over "
        "meldingen veranderd op een manier die minder dan {k} meldingen betreft ({figures}), "
        "dus een vergelijking van de twee verslagen zou die meldingen aanwijsbaar maken. Houd "
        "het verslag dat al geschreven is (en wacht tot de wijzigingen ten minste {k} "
        "meldingen betreffen), of schrijf het opnieuw met de cijfers over meldingen "
        "achtergehouden: voeg --withhold-changes toe.",
        "A report for {year} was already written on {issued} (a draft or a final one: any "
        "written report may reach the employer). Since then the case figures changed in a "
        "way that concerns fewer than {k} cases ({figures}), so comparing the two reports "
        "would single those cases out. Either keep the report already written (and wait "
        "until the changes concern at least {k} cases), or write it again with the case "
        "figures withheld: add --withhold-changes.",
    ),
    "err_passphrase_file_unreadable": (
        "Het wachtzinbestand {path} kan niet worden gelezen.",
        "The passphrase file {path} cannot be read.",
    ),
    "err_passphrase_file_empty": (
        "Het wachtzinbestand {path} is leeg; zet de wachtzin op de eerste regel.",
        "The passphrase file {path} is empty; put the passphrase on its first line.",
    ),
    "err_unknown_format": (
        "Onbekend formaat; kies een van {formats}.",
        "Unknown format; choose one of {formats}.",
    ),
    "err_out_dir_file": (
        "--out-dir moet een map noemen, geen bestand.",
        "--out-dir must name a folder, not a file.",
    ),
    "err_csv_or_md": ("Kies --format csv of md.", "Choose --format csv or md."),
    "err_md_or_pdf": ("Kies md of pdf als formaat.", "Choose md or pdf as the format."),
    "err_not_demo": (
        "De map {path} is geen vp_desk-demomap; er is niets gewijzigd. Kies een andere map "
        "met --data-dir.",
        "The folder {path} is not a vp_desk demo folder; nothing was changed. Choose another "
        "folder with --data-dir.",
    ),
    "err_not_regular": (
        "{path} is geen gewoon bestand; er is niets gewijzigd.",
        "{path} is not a regular file; nothing was changed.",
    ),
    "err_no_file": ("Het bestand {path} bestaat niet.", "The file {path} does not exist."),
    "err_restore_not_empty": (
        "De datamap {path} is niet leeg. Zet een back-up alleen terug in een lege of nieuwe "
        "map (gebruik --data-dir); er is niets gewijzigd.",
        "The data folder {path} is not empty. Restore only into an empty or new folder (use "
        "--data-dir); nothing was changed.",
    ),
    "err_folder_changing": (
        "De datamap blijft veranderen; probeer de back-up opnieuw.",
        "The data folder keeps changing; try the backup again.",
    ),
    "err_no_org_number": (
        "Er is geen organisatie met nummer {number}.",
        "There is no organisation with number {number}.",
    ),
    "err_no_org_named": (
        "Er is geen organisatie met die naam. 'vp-desk org list' toont de namen.",
        "There is no organisation with that name. 'vp-desk org list' shows the names.",
    ),
    "err_no_case": (
        "Die melding bestaat niet (meer).",
        "That case does not exist (any more).",
    ),
    "err_case_destroyed": (
        "Melding {code} is vernietigd; die kan niet meer worden gewijzigd.",
        "Case {code} was destroyed; it can no longer be changed.",
    ),
    "err_hold_after_destroy": (
        "Melding {code} is vernietigd; een bewaarplicht is niet meer van toepassing.",
        "Case {code} was destroyed; a hold no longer applies.",
    ),
    "err_destroy_open": (
        "Melding {code} is nog open; sluit die af voordat u haar vernietigt.",
        "Case {code} is still open; close it before destroying it.",
    ),
    "err_hold_first": (
        "Melding {code} staat onder bewaarplicht (legal hold); hef die eerst op.",
        "Case {code} is on legal hold; lift the hold first.",
    ),
    "err_no_contact": (
        "Dat contactmoment bestaat niet (meer).",
        "That contact moment does not exist (any more).",
    ),
    "err_no_case_code": (
        "Er is geen melding {code} in deze organisatie.",
        "There is no case {code} in this organisation.",
    ),
    "err_no_activity": (
        "Die activiteit bestaat niet (meer).",
        "That activity does not exist (any more).",
    ),
}
register("vp_desk.i18n", MESSAGES)


def error_text(exc: BaseException, lang: str) -> str:
    """A failure as the user reads it, in ``lang``: vp_desk's own errors translated
    (a ``ValidationError``'s field codes too); anything else as it is."""
    from vp_desk.errors import ValidationError, VpDeskError

    if isinstance(exc, ValidationError):
        parts = []
        for field, code in exc.field_errors.items():
            text = t(code, lang)
            parts.append(f"{field}: {t('invalid_value', lang) if '{' in text else text}")
        return t("err_invalid", lang, detail="; ".join(parts))
    if isinstance(exc, VpDeskError):
        return exc.text(lang)
    return str(exc)


def t(key: str, lang: str = "en", /, *, count: object = None, **params: object) -> str:
    """One of the core's messages (``MESSAGES`` below).

    A ``ValidationError`` may carry a ready sentence in place of a code: a text
    that is not a key is returned as it is.
    """
    if key not in MESSAGES:
        return key
    return lookup(MESSAGES, key, lang, count=count, **params)
