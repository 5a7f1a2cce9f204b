"""Language choice and the core's messages in Dutch and English.

The UI and the reports keep their own catalogues beside their code; this one
holds what the domain and the command line say (validation messages, CLI
errors). ``t(key, lang, **params)`` falls back to English, then to the key.
"""

from __future__ import annotations

import locale
import os

LANGS = ("nl", "en")


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


MESSAGES: dict[str, dict[str, str]] = {
    "required": {"nl": "Verplicht veld.", "en": "This field is required."},
    "bad_date": {
        "nl": "Geen geldige datum (JJJJ-MM-DD of D-M-JJJJ).",
        "en": "Not a valid date (YYYY-MM-DD or D-M-YYYY).",
    },
    "date_future": {"nl": "Deze datum ligt in de toekomst.", "en": "This date is in the future."},
    "date_too_old": {
        "nl": "Deze datum ligt voor het jaar 2000.",
        "en": "This date is before 2000.",
    },
    "closed_before_opened": {
        "nl": "De sluitdatum ligt voor de openingsdatum.",
        "en": "The closing date is before the opening date.",
    },
    "closed_before_contact": {
        "nl": "De sluitdatum ligt voor een contactmoment van deze casus.",
        "en": "The closing date is before a contact moment of this case.",
    },
    "unknown_code": {"nl": "Onbekende waarde: {value}.", "en": "Unknown value: {value}."},
    "primary_not_in_behaviours": {
        "nl": "Het hoofdgedrag moet een van de gekozen gedragingen zijn.",
        "en": "The primary behaviour must be one of the behaviours.",
    },
    "need_behaviour": {
        "nl": "Kies ten minste één soort gedrag.",
        "en": "Choose at least one behaviour.",
    },
    "minutes_range": {
        "nl": "Minuten moeten tussen 0 en 1440 liggen.",
        "en": "Minutes must be between 0 and 1440.",
    },
    "not_a_number": {"nl": "Geen geheel getal.", "en": "Not a whole number."},
    "too_long": {
        "nl": "Te lang (maximaal {max} tekens).",
        "en": "Too long (at most {max} characters).",
    },
    "range": {
        "nl": "Moet tussen {low} en {high} liggen.",
        "en": "Must be between {low} and {high}.",
    },
    "threshold_min": {"nl": "De drempel is minimaal 3.", "en": "The threshold is at least 3."},
    "outcome_needed": {
        "nl": "Kies een vervolg bij het sluiten.",
        "en": "Choose an outcome when closing.",
    },
    "follow_up_before_opened": {
        "nl": "De vervolgdatum ligt voor de openingsdatum.",
        "en": "The follow-up date is before the opening date.",
    },
    "duplicate_name": {
        "nl": "Er is al een organisatie met deze naam.",
        "en": "There is already an organisation with this name.",
    },
    "lang": {"nl": "Kies nl of en.", "en": "Choose nl or en."},
    # h7-desk: appointment terms of an organisation
    "contract_end_before_start": {
        "nl": "Het einde van de aanstelling ligt voor het begin.",
        "en": "The end of the appointment is before its start.",
    },
    "agreed_hours_range": {
        "nl": "De afgesproken uren per jaar liggen tussen 0 en 10000.",
        "en": "The agreed hours per year are between 0 and 10000.",
    },
}


def t(key: str, lang: str = "en", **params: object) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
