"""The single source of codes and their Dutch and English labels (docs/architecture.md, "Domain rules").

Forms, importers, reports and tests all read this module; no code list is
written anywhere else. Codes are stable identifiers stored in the vaults; labels
may be reworded freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Term:
    code: str
    nl: str
    en: str

    def label(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def _dimension(*terms: tuple[str, str, str]) -> Mapping[str, Term]:
    return MappingProxyType({code: Term(code, nl, en) for code, nl, en in terms})


BEHAVIOURS = _dimension(
    ("sexual_harassment", "Seksuele intimidatie", "Sexual harassment"),
    ("intimidation", "Intimidatie", "Intimidation"),
    ("bullying", "Pesten", "Bullying"),
    ("aggression_violence", "Agressie en geweld", "Aggression and violence"),
    ("discrimination", "Discriminatie", "Discrimination"),
    ("integrity", "Integriteitskwestie", "Integrity concern"),
    ("work_conflict", "Arbeidsconflict", "Work conflict"),
    ("other", "Overig", "Other"),
)

RELATIONS = _dimension(
    ("manager", "Leidinggevende", "Manager"),
    ("colleague", "Collega", "Colleague"),
    ("subordinate", "Ondergeschikte", "Subordinate"),
    (
        "third_party",
        "Derde (klant, patiënt, leerling, leverancier)",
        "Third party (client, patient, pupil, supplier)",
    ),
    ("group", "Groep", "Group"),
    ("unknown", "Onbekend", "Unknown"),
)

CONTACT_ROLES = _dimension(
    ("affected", "Melder (betrokkene)", "Affected person"),
    ("witness", "Getuige", "Witness"),
    ("manager_advice", "Leidinggevende vraagt advies", "Manager seeking advice"),
    ("enquiry", "Informatievraag", "Enquiry"),
)

HELP = _dimension(
    ("initial_support", "Opvang", "Initial support"),
    ("advice", "Advies en meedenken", "Advice"),
    ("accompaniment", "Begeleiding", "Accompaniment"),
    ("information", "Informatie over procedures", "Information on procedures"),
    ("aftercare", "Nazorg", "Aftercare"),
    ("referral", "Doorverwijzing", "Referral"),
)

REFERRALS = _dimension(
    ("occupational_physician", "Bedrijfsarts", "Occupational physician"),
    ("hr", "HR / P&O (op verzoek melder)", "HR (at the melder's request)"),
    ("complaints_committee", "Klachtencommissie", "Complaints committee"),
    ("mediator", "Mediator", "Mediator"),
    (
        "care",
        "Hulpverlening (huisarts, psycholoog, maatschappelijk werk)",
        "Care (GP, psychologist, social work)",
    ),
    ("police", "Politie / justitie", "Police / justice"),
    ("legal", "Juridisch (advocaat, vakbond, Juridisch Loket)", "Legal (lawyer, union, legal aid)"),
    ("whistleblower_authority", "Huis voor Klokkenluiders", "Whistleblower authority"),
    ("other", "Overig", "Other"),
)

OUTCOMES = _dimension(
    ("resolved_self", "Zelf opgelost", "Resolved by the melder"),
    ("talk_with_manager", "Gesprek met leidinggevende", "Talk with manager"),
    ("formal_complaint", "Formele klacht", "Formal complaint"),
    ("misconduct_report", "Melding misstand", "Misconduct report"),
    ("police_report", "Aangifte", "Police report"),
    ("no_follow_up", "Geen vervolg / melder ziet af", "No follow-up"),
    ("unknown", "Onbekend", "Unknown"),
)

CHANNELS = _dimension(
    ("in_person", "Persoonlijk", "In person"),
    ("phone", "Telefoon", "Phone"),
    ("video", "Video", "Video"),
    ("written", "Schriftelijk", "Written"),
)

ACTIVITIES = _dimension(
    ("awareness", "Voorlichting / training", "Awareness / training"),
    (
        "management_advice",
        "Advies aan management (gevraagd of ongevraagd)",
        "Advice to management (asked or unasked)",
    ),
    ("signalling", "Signalering", "Signalling of patterns"),
    ("consultation_hr_wc", "Overleg met OR, HR of directie", "Meeting works council, HR or board"),
    ("professional_development", "Intervisie / bijscholing", "Peer review / training of the VP"),
    ("visibility", "Zichtbaarheid / kennismaking", "Visibility / introductions"),
    ("reporting", "Registratie en jaarverslag", "Administration and annual report"),
)

STATUSES = _dimension(
    ("open", "Open", "Open"),
    ("closed", "Gesloten", "Closed"),
)

#: Every dimension by the name used in tables, forms and the importer.
DIMENSIONS: Mapping[str, Mapping[str, Term]] = MappingProxyType(
    {
        "behaviour": BEHAVIOURS,
        "relation": RELATIONS,
        "contact_role": CONTACT_ROLES,
        "help": HELP,
        "referrals": REFERRALS,
        "outcome": OUTCOMES,
        "channel": CHANNELS,
        "activity": ACTIVITIES,
        "status": STATUSES,
    }
)

DIMENSION_TITLES: Mapping[str, Term] = MappingProxyType(
    {
        "behaviour": Term("behaviour", "Aard van het gedrag", "Type of behaviour"),
        "relation": Term(
            "relation", "Relatie tot de betrokkene", "Relation to the person concerned"
        ),
        "contact_role": Term("contact_role", "Wie nam contact op", "Who made contact"),
        "help": Term("help", "Geboden hulp", "Help given"),
        "referrals": Term("referrals", "Doorverwijzingen", "Referrals"),
        "outcome": Term("outcome", "Vervolg", "Outcome"),
        "channel": Term("channel", "Kanaal eerste contact", "Channel of first contact"),
        "activity": Term("activity", "Activiteiten", "Activities"),
        "status": Term("status", "Status", "Status"),
        "quarter": Term("quarter", "Kwartaal", "Quarter"),
    }
)


def _register() -> None:
    """Every label as a table of vp_desk/i18n.py, so the text checks
    (tests/test_i18n.py) see them with the rest."""
    from vp_desk.i18n import register

    for name, terms in DIMENSIONS.items():
        register(f"vp_desk.vocabulary:{name}", {c: (t.nl, t.en) for c, t in terms.items()})
    register(
        "vp_desk.vocabulary:titles",
        {c: (t.nl, t.en) for c, t in DIMENSION_TITLES.items()},
    )


_register()


def label(dimension: str, code: str, lang: str) -> str:
    """The label of ``code`` in ``dimension``; the code itself if unknown."""
    term = DIMENSIONS[dimension].get(code)
    return term.label(lang) if term else code


def lookup(dimension: str, text: str) -> str | None:
    """Map a code or a Dutch/English label (any case, spaces trimmed) to its code."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for term in DIMENSIONS[dimension].values():
        if wanted in (term.code.casefold(), term.nl.casefold(), term.en.casefold()):
            return term.code
    return None
