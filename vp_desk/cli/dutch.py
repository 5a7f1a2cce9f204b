"""The command line in Dutch: click's own messages and every ``--help`` text.

Two parts, both used only while ``vp-desk`` runs (``LazyGroup.main``) and only
when the language is Dutch:

- :func:`click_in_dutch` gives click's own sentences ("Usage:", "Error: Missing
  argument ...", "Try ... for help.") in Dutch. Click wraps them in gettext
  through a module-level ``_`` and ``ngettext`` in each of its modules; this
  replaces those names (and nothing else: no global gettext translation is
  installed) with a lookup in :data:`CLICK_NL`, and puts the originals back
  when the command ends.
- :func:`localised` gives a command its Dutch help. The English stays in the
  decorators; :data:`HELP_NL` holds the Dutch, keyed by the command path (``""``
  for ``vp-desk`` itself, ``"org add"``) and, for an option, the path and the
  parameter name (``"org add:employees"``; ``"*:data_dir"`` for an option every
  command shares). The command is copied with those texts, so the English
  objects are never changed. tests/test_cli_dutch.py checks that every command
  and option has its Dutch text.

The language comes from the command line if ``--lang`` is on it (click has not
parsed it yet when it writes a usage error), else from the environment
(:func:`vp_desk.i18n.default_lang`), as for every other message.
"""

from __future__ import annotations

import copy
import gettext as _gettext
import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

from vp_desk.i18n import default_lang

#: click's own messages (its gettext msgids) in Dutch. Click names a path's kind
#: ("File '/x' is a directory.") in English when an option is declared, so the
#: Dutch leaves it out. A plural has a
#: ``(singular, plural)`` pair of msgids as its key and a pair of Dutch texts.
CLICK_NL: dict[str | tuple[str, str], str | tuple[str, str]] = {
    "Aborted!": "Afgebroken!",
    "deprecated": "verouderd",
    "Missing command.": "Er ontbreekt een opdracht.",
    "Options": "Opties",
    "Positional arguments": "Argumenten",
    "Commands": "Opdrachten",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Waarschuwing: de opdracht {name!r} is verouderd.{extra_message}"
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Waarschuwing: {param_type} {name!r} is verouderd.{extra_message}"
    ),
    "env var: {var}": "omgevingsvariabele: {var}",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "(dynamic)": "(wisselend)",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Neemt {nargs} waarden, maar er is er 1 gegeven.",
        "Neemt {nargs} waarden, maar er zijn er {len} gegeven.",
    ),
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder het te vragen.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Show the version and exit.": "Toon de versie en stop.",
    "Show this message and exit.": "Toon deze hulp en stop.",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Bedoelt u {possibility}?",
        "(Bedoelt u een van: {possibilities}?)",
    ),
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing {param_type}": "Ontbrekend: {param_type}",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "unknown error": "onbekende fout",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Could not open file {filename!r}: {message}": (
        "Het bestand {filename!r} kon niet worden geopend: {message}"
    ),
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Er is geen optie {name!r}.",
    "No such command {name!r}.": "Er is geen opdracht {name!r}.",
    "Usage:": "Gebruik:",
    "Option {name!r} does not take a value.": "De optie {name!r} neemt geen waarde.",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "De optie {name!r} vraagt om een waarde.",
        "De optie {name!r} vraagt om {nargs} waarden.",
    ),
    "Argument {name!r} takes {nargs} values.": "Het argument {name!r} neemt {nargs} waarden.",
    "Press any key to continue...": "Druk op een toets om verder te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden verschillen.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} is niet {choice}.",
        "{value!r} is niet een van {choices}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} past niet bij de vorm {format}.",
        "{value!r} past niet bij de vormen {formats}.",
    ),
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen geldige ja/nee-waarde. Mogelijke waarden: {states}"
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "Er zijn {len_type} waarden nodig, maar er is er {len_value} gegeven.",
        "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} gegeven.",
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal ({number_type}).",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{name} {filename!r} is a file.": "{filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{filename!r} kan niet worden gelezen.",
    "{name} {filename!r} is not writable.": "{filename!r} kan niet worden beschreven.",
    "{name} {filename!r} is not executable.": "{filename!r} kan niet worden uitgevoerd.",
    "{name} {filename!r} does not exist.": "{filename!r} bestaat niet.",
}

#: Messages click writes only for a programming error or another platform.
CLICK_UNTRANSLATED = frozenset(
    {
        "d",
        "{editor}: Editing failed",
        "{editor}: Editing failed: {e}",
        "Windows error: {error}",
        "Could not determine name for option with declarations {decls!r}",
        "No options defined but a name was passed ({name}). Did you mean to declare an "
        "argument instead? Did you mean to pass '--{name}'?",
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Name '{name}' defined twice",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Invalid start character for option ({option})",
        "Couldn't detect Bash version, shell completion is not supported.",
        "Shell completion is not supported for Bash versions older than 4.4.",
        "Unknown color {colour!r}",
        "Choice({choices})",
        "Unknown standard stream '{name}'",
    }
)

#: The names click gives a path (``--data-dir DIRECTORY``), in Dutch. Click takes
#: them when an option is declared, so :func:`localised` sets them on its copy.
PATH_NAMES_NL = {"file": "BESTAND", "directory": "MAP", "path": "PAD"}

#: click's modules that bind gettext's ``_`` / ``ngettext`` at import.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "click.shell_completion",
)


def _dutch_gettext(message: str) -> str:
    text = CLICK_NL.get(message)
    return text if isinstance(text, str) else _gettext.gettext(message)


def _dutch_ngettext(singular: str, plural: str, n: int) -> str:
    texts = CLICK_NL.get((singular, plural))
    if isinstance(texts, tuple):
        return texts[0] if n == 1 else texts[1]
    return _gettext.ngettext(singular, plural, n)


@contextmanager
def click_in_dutch() -> Iterator[None]:
    """While inside: click's own messages in Dutch (its modules' ``_`` and
    ``ngettext`` only; gettext and every other library are left alone)."""
    saved: list[tuple[object, str, object]] = []
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a module of another click version
            continue
        for attr, replacement in (("_", _dutch_gettext), ("ngettext", _dutch_ngettext)):
            if attr in vars(module):
                saved.append((module, attr, vars(module)[attr]))
                setattr(module, attr, replacement)
    try:
        yield
    finally:
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)


#: The options every command takes that are followed by a value.
_VALUED = ("--data-dir", "--lang", "--passphrase-file")


def argv_language(args: Sequence[str], root: click.Group | None = None) -> str | None:
    """The language a ``--lang`` on the command line asks for (the last one), if any.

    Given the ``root`` group, a ``--lang`` after a command that gives ``--lang``
    its own meaning (``org add``: the report's language) does not count.
    """
    end = len(args)
    if root is not None:
        end = _own_lang_start(args, root) or end
    lang = None
    for i, arg in enumerate(args[:end]):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < end:
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in ("nl", "en"):
            lang = value
    return lang


def _own_lang_start(args: Sequence[str], group: click.Group) -> int | None:
    """Where the arguments of a command with its own ``--lang`` begin, if it is one."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return None
        if arg.startswith("-"):
            i += 2 if arg in _VALUED else 1
            continue
        command = group.get_command(click.Context(group), arg)
        if isinstance(command, click.Group):
            group = command
            i += 1
            continue
        if command is None:
            return None
        own = any(
            param.name != "lang" and "--lang" in getattr(param, "opts", ())
            for param in command.params
        )
        return i + 1 if own else None
    return None


def cli_language(args: Sequence[str], root: click.Group | None = None) -> str:
    return argv_language(args, root) or default_lang()


def localised(command: click.Command, path: str) -> click.Command:
    """A copy of ``command`` (and its subcommands) with its Dutch help texts."""
    clone = copy.copy(command)
    dutch = HELP_NL.get(path)
    if dutch is not None:
        clone.help = dutch
        clone.short_help = None
    if command.options_metavar == "[OPTIONS]":
        clone.options_metavar = "[OPTIES]"
    if hasattr(clone, "_help_option"):
        clone._help_option = None  # made again, in Dutch, when asked for
    params = []
    for param in command.params:
        text = HELP_NL.get(f"{path}:{param.name}") or HELP_NL.get(f"*:{param.name}")
        if isinstance(param, click.Option) and text is not None:
            param = copy.copy(param)
            param.help = text
        if not path and param.name == "version":
            param = _version_option(text)
        if (
            isinstance(param, click.Option)
            and isinstance(param.type, click.Path)
            and not param.metavar
        ):
            param = copy.copy(param)
            param.metavar = PATH_NAMES_NL.get(param.type.name, param.type.name.upper())
        params.append(param)
    clone.params = params
    if isinstance(command, click.Group) and isinstance(clone, click.Group):
        clone.subcommand_metavar = (
            (command.subcommand_metavar or "")
            .replace("COMMAND", "OPDRACHT")
            .replace("ARGS", "ARGUMENTEN")
        )
        clone.commands = {
            name: localised(sub, f"{path} {name}".strip()) for name, sub in command.commands.items()
        }
    return clone


def _version_option(help_text: str | None) -> click.Parameter:
    """``--version`` saying "versie": click fixes its sentence when the option is declared."""

    def holder() -> None:
        pass

    message = CLICK_NL["%(prog)s, version %(version)s"]
    assert isinstance(message, str)
    click.version_option(
        package_name="vp-desk", prog_name="vp-desk", message=message, help=help_text
    )(holder)
    params: list[click.Parameter] = holder.__click_params__  # type: ignore[attr-defined]
    return params[0]


#: The Dutch ``--help`` texts (see the module's docstring for the keys).
HELP_NL: dict[str, str] = {
    # Options every command takes.
    "*:data_dir": "De datamap (standaard: VP_DESK_HOME of uw eigen gegevensmap).",
    "*:lang": "Taal van meldingen en uitvoer (standaard: uit de landinstelling).",
    "*:passphrase_file": "Lees de wachtzin uit de eerste regel van dit bestand.",
    # vp-desk
    "": "vp_desk: het bureau van de vertrouwenspersoon.\n\n"
    "Zonder opdracht opent de terminal-app op de datamap (de eerste keer richt "
    "die er een in). Hieronder staan de opdrachten voor scripts; elke opdracht "
    "kent --data-dir, --lang en --passphrase-file.",
    ":version": "Toon de versie en stop.",
    # init, passwd, verify
    "init": "Maak een nieuwe datamap en een sleutelbestand.\n\n"
    "De wachtzin (minstens 15 tekens, niet makkelijk te raden) wordt twee keer "
    "gevraagd, of gelezen uit VP_DESK_PASSPHRASE / VP_DESK_PASSPHRASE_FILE / "
    "--passphrase-file.",
    "passwd": "Wijzig de wachtzin en geef elke kluis een nieuwe gegevenssleutel.\n\n"
    "Elke kluis wordt opnieuw versleuteld (op een terminal met een voortgangsbalk), "
    "zodat een ouder sleutelbestand of een back-up met de oude wachtzin niets opent "
    "wat na de wijziging is geschreven. Vraagt vrije ruimte voor één kopie van de "
    "datamap.",
    "passwd:new_passphrase_file": "Lees de nieuwe wachtzin uit de eerste regel van dit bestand.",
    "verify": "Controleer het sleutelbestand, elke kluis en de audittrail "
    "(afsluitcode 1 bij schade).",
    # org
    "org": "Klantorganisaties (elk in een eigen versleutelde kluis).",
    "org add": "Voeg een klantorganisatie toe.",
    "org add:employees": "Aantal medewerkers.",
    "org add:threshold": "Openbaarheidsdrempel k voor verslagen (minimaal 3).",
    "org add:retention_months": "Maanden dat een gesloten melding wordt bewaard voordat "
    "die vernietigd moet worden.",
    "org add:report_lang": "Taal van de verslagen van deze organisatie.",
    "org list": "Toon de organisaties: naam, medewerkers en open meldingen.",
    "org list:as_json": "Druk JSON af in plaats van een tabel.",
    "org remove": "Wis een organisatie voorgoed (crypto-shredding). Vraagt --shred.",
    "org remove:shred": "Verplicht: wis de organisatie voorgoed.",
    "org remove:yes": "Vraag niet om bevestiging.",
    "org terms": "Toon of zet de aanstelling (aanstellingsbrief) van een organisatie.",
    "org terms:start": "Eerste dag van de aanstelling.",
    "org terms:end": "Laatste dag van de aanstelling.",
    "org terms:agreed_hours": "Uren per jaar afgesproken in de aanstelling.",
    "org terms:kind": "Interne of externe vertrouwenspersoon bij deze organisatie.",
    "org terms:clear": "Verwijder eerst alle afspraken.",
    # case
    "case": "Meldingen van één organisatie.",
    "case list": "Meldingscodes, data, status en hoofdgedrag; nooit notities.",
    "case list:year": "Alleen meldingen die in dit jaar zijn geopend.",
    "case list:as_json": "Druk JSON af in plaats van een tabel.",
    "case export": "Eén dossier met al zijn notities, voor een inzageverzoek van een "
    "melder (AVG art. 15).",
    "case export:fmt": "Markdown of PDF.",
    "case export:out": "Schrijf naar dit bestand (standaard: Markdown op het scherm, PDF "
    "naar dossier-CODE.pdf).",
    "case export:yes": "Waarschuw en vraag niet eerst.",
    "case export:force": "Overschrijf het bestand van --out als het al bestaat.",
    "case delete": "Verwijder een per vergissing vastgelegde melding: weg, en in geen "
    "enkel verslag meer meegeteld.",
    "case delete:yes": "Vraag niet om bevestiging.",
    "case destroy": "Vernietig de notities van een melding nu, op verzoek van de melder "
    "(AVG art. 17).",
    "case destroy:yes": "Vraag niet om bevestiging.",
    # import, demo
    "import": "Importeer meldingen uit een CSV- of XLSX-bestand, één regel per melding.\n\n"
    "Kolommen (Nederlands of Engels): geopend/opened (verplicht), gesloten/closed, "
    "rol/contact_role, gedrag/behaviours, relatie/relation, hulp/help, "
    "doorverwijzing/referrals, vervolg/outcome, kanaal/channel, "
    "contactmomenten/consultations, minuten/minutes, notities/notes. Een bestand "
    "met een foute regel importeert niets, tenzij --skip-bad is gegeven.",
    "import:dry_run": "Controleer het bestand en meld de uitkomst; wijzig niets.",
    "import:skip_bad": "Importeer de goede regels en toon de foute (standaard: alles of niets).",
    "demo": "Maak (of hergebruik) een demomap met verzonnen gegevens en open die.\n\n"
    "Drie verzonnen organisaties met twee jaar meldingen, contactmomenten en "
    "preventiewerk. De wachtzin is altijd 'vertrouwelijk-demo'. De map staat los van "
    "uw eigen gegevens, tenzij --data-dir of VP_DESK_HOME anders zegt.",
    "demo:no_tui": "Maak (of hergebruik) alleen de demomap.",
    # report, hours
    "report": "Het jaarverslag van een organisatie, met openbaarheidscontrole.",
    "report:year": "Het jaar van het verslag (meldingen die in dat jaar zijn geopend).",
    "report:all_orgs": "Het verslag van elke organisatie na één keer ontgrendelen (in "
    "plaats van ORG); vraagt --out-dir.",
    "report:out_dir": "Met --all: de map voor de verslagen (één bestand per organisatie).",
    "report:fmt": "Uitvoerformaat.",
    "report:force": "Vervang een bestaand --out-bestand.",
    "report:out": "Schrijf naar dit bestand (nodig voor pdf en docx; anders standaarduitvoer).",
    "report:final": "Markeer het verslag als definitief (zonder: een concept, gemarkeerd "
    "CONCEPT; beide worden vastgelegd).",
    "report:forget_drafts": "Haal de concepten van dit jaar uit het register (alleen "
    "concepten die het bureau nooit hebben verlaten).",
    "report:yes": "Bevestig --forget-drafts zonder het te vragen.",
    "report:confirm_text": "Laat de vrije tekst uitgaan, ook al lijkt die persoonsgegevens "
    "te bevatten.",
    "report:withhold_changes": "Geef opnieuw uit met elk cijfer over meldingen achtergehouden "
    "als die sinds de uitgifte zijn veranderd.",
    "report:signals_file": "Zet eerst de sectie 'signalen' uit dit UTF-8-tekstbestand.",
    "report:recommendations_file": "Zet eerst de sectie 'aanbevelingen' uit dit "
    "UTF-8-tekstbestand.",
    "hours": "Uren over een periode: uw eigen gedetailleerde overzicht, of een urenspecificatie.",
    "hours:start": "Eerste dag (JJJJ-MM-DD of D-M-JJJJ).",
    "hours:end": "Laatste dag, inbegrepen (JJJJ-MM-DD of D-M-JJJJ).",
    "hours:invoice": "De specificatie voor de werkgever: hele maanden, halve uren, "
    "gecontroleerd en vastgelegd.",
    "hours:fmt": "Uitvoerformaat.",
    "hours:force": "Vervang een bestaand --out-bestand.",
    "hours:out": "Schrijf naar dit bestand (anders standaarduitvoer).",
    "hours:disclose_case_hours": "Leg de keuze vast om de uren aan meldingen van deze "
    "organisatie bekend te maken (verslagen, specificaties).",
    "hours:invoice_split": "Leg de keuze vast om meldingen en preventie apart te tonen op "
    "specificaties.",
    # backup, restore, handover, retention
    "backup": "Schrijf een versleutelde back-up van de hele datamap naar OUT.\n\n"
    "OUT is één bestand met het sleutelbestand en een consistente kopie van elke "
    "kluis, verzegeld zodat alleen de wachtzin van vandaag het opent. Bewaar het op "
    "een andere schijf.",
    "restore": "Zet een back-up FILE terug in een lege datamap (--data-dir).\n\n"
    "Vraagt de wachtzin die in gebruik was toen de back-up werd gemaakt.",
    "handover": "Draag de dossiers van één organisatie over aan een andere vertrouwenspersoon.",
    "handover export": "Schrijf de dossiers van ORG naar OUT onder een nieuwe eenmalige "
    "wachtzin.\n\n"
    "De wachtzin wordt één keer getoond, als laatste regel. Geef hem de opvolger langs "
    "een andere weg dan het bestand (bijvoorbeeld telefonisch).",
    "handover import": "Voeg de organisatie uit een overdrachtsbestand FILE toe aan deze "
    "datamap.\n\n"
    "Vraagt de eenmalige wachtzin, of leest VP_DESK_HANDOVER_PASSPHRASE.",
    "handover import:name": "Voeg de organisatie toe onder deze naam.",
    "retention": "Toon gesloten meldingen voorbij hun bewaartermijn; --apply vernietigt ze.\n\n"
    "Vernietigen houdt een grafsteen met de gecodeerde velden over (zodat eerdere "
    "verslagen gelijk blijven) en wist de notities, de notities van contactmomenten, "
    "concepten en de hashes voor herhaalde betrokkenen. Meldingen onder bewaarplicht "
    "worden nooit getoond.",
    "retention:apply_": "Vernietig de getoonde meldingen (vraagt eerst).",
    "retention:yes": "Vraag niet om bevestiging.",
}
