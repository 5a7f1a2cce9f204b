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


def choose(pair: tuple[_T, _T], lang: str) -> _T:
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
    text = _plural(choose(pair, lang), count)
    params = {k: v.text(lang) if isinstance(v, Message) else v for k, v in params.items()}
    if count is not None:
        params.setdefault("count", count)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError):  # a text that needs figures the caller does not have
        return text


class Message(str):
    """A text of a registered table that keeps its key and figures.

    As a ``str`` it is the English text, so code that compares, logs or joins
    it works as before; :meth:`text` gives it in any language. A figure that is
    itself a ``Message`` (a part name in a sentence) is translated with it.
    Layers that may not know the user's language (vp_desk/vault) return these.
    """

    table: str
    key: str
    params: dict[str, object]

    def __new__(cls, table: str, key: str, /, **params: object) -> Message:
        self = super().__new__(cls, lookup(TABLES[table], key, "en", **params))
        self.table = table
        self.key = key
        self.params = params
        return self

    def text(self, lang: str) -> str:
        return lookup(TABLES[self.table], self.key, lang, **self.params)

    def __reduce__(self) -> tuple[object, ...]:
        return (_message, (self.table, self.key, self.params))


def _message(table: str, key: str, params: dict[str, object]) -> Message:
    return Message(table, key, **params)


def message(key: str, /, **params: object) -> Message:
    """A text of the core's table (``MESSAGES`` below) as a :class:`Message`."""
    return Message("vp_desk.i18n", key, **params)


def in_lang(text: object, lang: str) -> str:
    """``text`` in ``lang`` if it is a :class:`Message`, else as it is."""
    return text.text(lang) if isinstance(text, Message) else str(text)


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
        "Dit deel van de datamap is beschadigd of gewijzigd: {part}. Zet het terug uit een "
        "back-up; 'vp-desk verify' geeft de details.",
        "The {part} is damaged or was tampered with. Restore it from a backup; run "
        "'vp-desk verify' for details.",
    ),
    "err_newer_schema": (
        "Geschreven door een nieuwere versie van vp_desk: {part} (schema {found}; deze "
        "versie leest tot en met {supported}). Er is niets gewijzigd; werk vp_desk bij om "
        "het te openen.",
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
    # h20-dutchapp: the app's desk, locked while a task still ran (tui/desk_guard.py)
    "err_desk_locked": ("Het bureau is vergrendeld.", "The desk is locked."),
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
    "err_invoice_report_contacts": (
        "Het verslag over {year} van {issued} noemt minder dan {k} contactmomenten. Met de "
        "uren aan meldingen van deze specificatie (een contactmoment duurt hoogstens 24 uur) "
        "zou dat aantal te nauw af te leiden zijn; er is niets geschreven. Laat deze periode "
        "buiten de specificaties (uw gedetailleerde urenoverzicht blijft beschikbaar).",
        "The report for {year} of {issued} gives fewer than {k} contact moments. With the "
        "hours on cases of this specification (a contact moment lasts at most 24 hours) that "
        "number could be narrowed down too far; nothing was written. Leave this period off "
        "the specifications (your detailed hours view stays available).",
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
    "err_folder_exists": (
        "Er is al een vp_desk-datamap in {path}.",
        "There is already a vp_desk data folder at {path}.",
    ),
    # h16-dutchcli: why the system refused a file (os_reason), by errno name.
    "os_ENOENT": ("bestand of map bestaat niet", "No such file or directory"),
    "os_EACCES": ("geen toestemming", "Permission denied"),
    "os_EPERM": ("niet toegestaan", "Operation not permitted"),
    "os_EISDIR": ("is een map", "Is a directory"),
    "os_ENOTDIR": ("is geen map", "Not a directory"),
    "os_EROFS": ("alleen-lezen bestandssysteem", "Read-only file system"),
    "os_ENOSPC": ("schijf is vol", "No space left on device"),
    "os_EEXIST": ("bestaat al", "File exists"),
    "os_EIO": ("lees- of schrijffout", "Input/output error"),
    "os_other": ("lees- of schrijffout", "I/O error"),
    # h16-dutchcli: the parts of a data folder, as errors and 'vp-desk verify' name them
    # (Dutch with its article; the English follows "The").
    "part_key_file": ("het sleutelbestand", "key file"),
    "part_index": ("de indexkluis", "index vault"),
    "part_vault": ("de kluis", "vault"),
    "part_vault_file": ("de kluis {file}", "vault {file}"),
    "part_org_vault": (
        "de kluis van organisatie {number} ({file})",
        "vault of organisation {number} ({file})",
    ),
    "part_org": ("de kluis van organisatie {number}", "vault of organisation {number}"),
    "part_handover_vault": ("de kluis in het overdrachtsbestand", "vault in the hand-over file"),
    "part_handover_file": ("het overdrachtsbestand", "hand-over file"),
    "part_backup_file": ("het back-upbestand", "backup file"),
    "part_audit_trail": ("de audittrail", "audit trail"),
    # What a full disk kept from being written (StorageFull), with its article in both.
    "what_key_file": ("het sleutelbestand", "the key file"),
    "what_backup": ("de back-up", "the backup"),
    "what_restored": ("de teruggezette datamap", "the restored data folder"),
    "what_rekey_copy": (
        "een nieuwe kopie van elke kluis (een wachtzinwijziging heeft die nodig)",
        "a new copy of every vault (a passphrase change needs one)",
    ),
    "what_backup_file": ("het back-upbestand", "the backup file"),
    "what_handover_file": ("het overdrachtsbestand", "the hand-over file"),
    "what_dossier": ("het dossier", "the dossier"),
    "what_report_file": ("het verslagbestand", "the report file"),
    "what_hours_file": ("het urenbestand", "the hours file"),
    "what_specification": ("de specificatie", "the specification"),
    # Damage named more precisely than err_damaged.
    "err_part_missing": (
        "Er ontbreekt een bestand: {part} ({file}). Zet het terug uit een back-up.",
        "The {part} is missing ({file}). Restore it from a backup.",
    ),
    "err_part_cannot_open": (
        "Dit bestand kan niet worden geopend: {part} ({file}).",
        "The {part} cannot be opened ({file}).",
    ),
    "err_kdf_bounds": (
        "Er staan instellingen voor de sleutelafleiding in die deze installatie nooit zou "
        "kiezen: {part}. Het is beschadigd of gewijzigd.",
        "The {part} holds key-derivation settings this install would never choose; it is "
        "damaged or was tampered with.",
    ),
    "err_key_file_missing": (
        "Het sleutelbestand ontbreekt. Zet het terug uit een back-up.",
        "The key file is missing. Restore it from a backup.",
    ),
    "err_key_file_both": (
        "Beide kopieën van het sleutelbestand zijn beschadigd. Zet de datamap terug uit een "
        "back-up.",
        "Both copies of the key file are damaged. Restore the data folder from a backup.",
    ),
    "err_vault_key_missing": (
        "De sleutel van de kluis van deze organisatie ontbreekt in het sleutelbestand. Zet de "
        "datamap terug uit een back-up.",
        "The key of this organisation's vault is missing from the key file. Restore the data "
        "folder from a backup.",
    ),
    "err_key_file_rolled_back": (
        "Het sleutelbestand ({file}) is ouder dan de indexkluis vastlegt (generatie "
        "{generation}, verwacht {expected} of later): het is teruggezet of uit een oudere map "
        "gekopieerd. Zet de hele datamap terug uit een back-up; 'vp-desk verify' geeft de "
        "details.",
        "The key file ({file}) is older than the index vault records (generation "
        "{generation}, expected {expected} or later): it was rolled back or copied in from an "
        "older folder. Restore the whole data folder from a backup; run 'vp-desk verify' for "
        "details.",
    ),
    "err_rolled_back": (
        "Ouder dan het sleutelbestand vastlegt: {label}. Er is een oudere kopie teruggezet; "
        "het is niet geopend. Zet de hele datamap terug uit een back-up; 'vp-desk verify' "
        "geeft de details.",
        "The {label} is older than the key file records: an older copy of it was put back "
        "(rolled back). It was not opened. Restore the whole data folder from a backup; run "
        "'vp-desk verify' for details.",
    ),
    "err_rekey_audit": (
        "De audittrail is gebroken in {part}, dus de wachtzin is niet gewijzigd. "
        "'vp-desk verify' geeft de details.",
        "The audit trail of the {part} is broken, so the passphrase was not changed. Run "
        "'vp-desk verify' for details.",
    ),
    # Backup and hand-over files (restore, handover import).
    "noun_backup_file": ("back-upbestand", "backup file"),
    "noun_handover_file": ("overdrachtsbestand", "hand-over file"),
    "err_archive_not_ours": (
        "{name} is geen {file} van vp_desk, of het is beschadigd. Er is niets gewijzigd.",
        "{name} is not a vp_desk {file}, or it is damaged. Nothing was changed.",
    ),
    "err_archive_folder": (
        "{path} is een map, geen {file}.",
        "{path} is a folder, not a {file}.",
    ),
    "err_archive_other_kind": (
        "{name} is een {other}, geen {file}.",
        "{name} is a {other}, not a {file}.",
    ),
    "err_archive_checksum": (
        "{name} is beschadigd: de controlesom klopt niet, dus het kan niet worden gebruikt. "
        "Er is niets gewijzigd; gebruik een andere kopie.",
        "{name} is damaged: its checksum does not match, so it cannot be used. Nothing was "
        "changed; use another copy.",
    ),
    "err_wrong_backup_passphrase": (
        "De wachtzin opent deze back-up niet. Gebruik de wachtzin die in gebruik was toen de "
        "back-up werd gemaakt; er is niets gewijzigd.",
        "The passphrase does not open this backup. Use the passphrase that was in use when "
        "the backup was made; nothing was changed.",
    ),
    "err_wrong_handover_passphrase": (
        "De eenmalige wachtzin opent dit overdrachtsbestand niet. Controleer hem bij de "
        "vertrouwenspersoon die het bestand maakte; er is niets gewijzigd.",
        "The one-time passphrase does not open this hand-over file. Check it with the "
        "adviser who made the file; nothing was changed.",
    ),
    "err_handover_audit_out": (
        "De audittrail van deze organisatie is gebroken, dus ze kan niet worden "
        "overgedragen. 'vp-desk verify' geeft de details.",
        "The audit trail of this organisation is broken, so it cannot be handed over. Run "
        "'vp-desk verify' for details.",
    ),
    "err_handover_schema": (
        "Het overdrachtsbestand bevat database-objecten die vp_desk niet maakt (zoals een "
        "trigger of een extra tabel); het is gewijzigd nadat het werd gemaakt, dus het wordt "
        "geweigerd. Er is niets gewijzigd.",
        "The hand-over file holds database objects that vp_desk does not make (such as a "
        "trigger or an extra table); it was changed after it was made, so it is refused. "
        "Nothing was changed.",
    ),
    "err_handover_audit_in": (
        "De audittrail in het overdrachtsbestand is gebroken; het is gewijzigd nadat het "
        "werd gemaakt. Hier is niets gewijzigd.",
        "The audit trail in the hand-over file is broken; it was changed after it was made. "
        "Nothing was changed here.",
    ),
    "err_handover_data": (
        "Het overdrachtsbestand bevat gegevens die niet in de kluis van deze installatie "
        "passen; het is gewijzigd nadat het werd gemaakt, dus het wordt geweigerd. Er is "
        "niets gewijzigd.",
        "The hand-over file holds data that does not fit this install's vault; it was "
        "changed after it was made, so it is refused. Nothing was changed.",
    ),
    "err_handover_ledger": (
        "Het register van uitgegeven verslagen in het overdrachtsbestand past niet bij deze "
        "installatie; het is gewijzigd nadat het werd gemaakt, dus het wordt geweigerd. Er "
        "is niets gewijzigd.",
        "The ledger of issued reports in the hand-over file does not fit this install; it "
        "was changed after it was made, so it is refused. Nothing was changed.",
    ),
    # The problems 'vp-desk verify' lists, one a line.
    "verify_file_of": ("{part} ({file})", "{part} ({file})"),
    "verify_in_part": ("{part}: {problem}", "{part}: {problem}"),
    "verify_page": (
        "het bestand is beschadigd (een pagina kwam niet door de controle)",
        "the file is damaged (a page failed its check)",
    ),
    "verify_orphan_key": (
        "kluis {vault} heeft een sleutel maar geen organisatie",
        "vault {vault} has a key but no organisation",
    ),
    "verify_rollback": ("teruggezet: {problem}", "rollback: {problem}"),
    "verify_digest": (
        "{file} wijkt af van wat bij de laatste keer sluiten is vastgelegd: er zijn pagina's "
        "vervangen (bijvoorbeeld uit een oudere kopie)",
        "{file} differs from what was recorded when it was last closed: pages were replaced "
        "(for example spliced in from an older copy)",
    ),
    "audit_missing": (
        "auditregel {seq} ontbreekt of staat niet op zijn plaats",
        "audit row {seq} is missing or out of order",
    ),
    "audit_unlinked": (
        "auditregel {seq} sluit niet aan op regel {previous}",
        "audit row {seq} does not follow row {previous}",
    ),
    "audit_changed": ("auditregel {seq} is gewijzigd", "audit row {seq} was changed"),
    "audit_cut": (
        "er zijn auditregels van het einde van de audittrail verwijderd",
        "audit rows were removed from the end of the trail",
    ),
    "schema_unknown_version": (
        "onbekende schemaversie {version}",
        "unknown schema version {version}",
    ),
    "schema_unexpected": ("onverwacht {kind} {name}", "unexpected {kind} {name}"),
    "schema_changed": (
        "ontbrekend of gewijzigd {kind} {name}",
        "missing or changed {kind} {name}",
    ),
    "leftover_staging": (
        "restant van een onderbroken back-up, terugzetting of overdracht: {path} (verwijder het)",
        "leftover of an interrupted backup, restore or hand-over: {path} (remove it)",
    ),
    "leftover_archive": (
        "restant van een onderbroken back-up of overdrachtsexport: {path} (verwijder het)",
        "leftover of an interrupted backup or hand-over export: {path} (remove it)",
    ),
    "leftover_keyless": (
        "kluisbestand {name} heeft geen sleutel in het sleutelbestand; niets opent het "
        "(verwijder het)",
        "vault file {name} has no key in the key file; nothing opens it (remove it)",
    ),
    "loose_permissions": (
        "{path} is leesbaar voor andere gebruikers (chmod go-rwx)",
        "{path} can be read by other users (chmod go-rwx)",
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
            text = t(code, lang, **exc.params)
            parts.append(f"{field}: {t('invalid_value', lang) if '{' in text else text}")
        return t("err_invalid", lang, detail="; ".join(parts))
    if isinstance(exc, VpDeskError):
        return exc.text(lang)
    return str(exc)


def os_reason(exc: OSError, lang: str) -> str:
    """Why the system refused a file, in ``lang`` (the system's own words for an
    error this table does not know, in English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if f"os_{name}" in MESSAGES:
        return lookup(MESSAGES, f"os_{name}", lang)
    if lang != "nl" and exc.strerror:
        return exc.strerror
    return lookup(MESSAGES, "os_other", lang)


def t(key: str, lang: str = "en", /, *, count: object = None, **params: object) -> str:
    """One of the core's messages (``MESSAGES`` below).

    A ``ValidationError`` may carry a ready sentence in place of a code: a text
    that is not a key is returned as it is.
    """
    if key not in MESSAGES:
        return key
    return lookup(MESSAGES, key, lang, count=count, **params)
