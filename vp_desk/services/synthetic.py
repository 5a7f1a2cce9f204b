"""Deterministic synthetic data: for ``vp-desk demo``, benchmarks and tests.

Everything comes from ``random.Random`` seeded with a string, so the same
preset, seed and ``today`` give the same organisations, cases, contact moments
and activities on every machine. Dates are relative to ``today``: the data
always covers the two years before it.

Presets::

    demo      3 organisations (about 15, 120 and 900 employees), two years
    small     1 organisation, 50 cases
    practice  20 organisations, 50,000 cases, 200,000 contact moments
    stress    50 organisations, 200,000 cases

The proportions are plausible for Dutch practice: most reports concern
bullying, intimidation or a work conflict; a case has 1-6 contact moments of
15-90 minutes; most older cases are closed with an outcome, recent ones are
open with a follow-up date; prevention work is logged every month. Notes are
obviously fictional sentences and never contain a name.

Writing is fast: validated ``CaseData`` go through ``Desk.insert_cases`` (one
transaction per organisation) and activities through
``Desk.insert_activities``.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from vp_desk import vocabulary as voc
from vp_desk.domain.models import ActivityInput, CaseData, OrganisationInput

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

DEFAULT_SEED = "vp_desk-demo-1"
DAYS = 730  # two years

# -- proportions (code, weight) ----------------------------------------------------------
BEHAVIOUR_WEIGHTS = (
    ("bullying", 26),
    ("work_conflict", 22),
    ("intimidation", 18),
    ("sexual_harassment", 10),
    ("aggression_violence", 8),
    ("discrimination", 7),
    ("integrity", 4),
    ("other", 5),
)
RELATION_WEIGHTS = (
    ("colleague", 40),
    ("manager", 34),
    ("third_party", 10),
    ("group", 7),
    ("subordinate", 5),
    ("unknown", 4),
)
ROLE_WEIGHTS = (("affected", 76), ("manager_advice", 10), ("witness", 7), ("enquiry", 7))
CHANNEL_WEIGHTS = (("in_person", 45), ("phone", 30), ("video", 15), ("written", 10))
OUTCOME_WEIGHTS = (
    ("resolved_self", 30),
    ("talk_with_manager", 25),
    ("no_follow_up", 18),
    ("unknown", 11),
    ("formal_complaint", 9),
    ("misconduct_report", 4),
    ("police_report", 3),
)
REFERRAL_WEIGHTS = (
    ("occupational_physician", 25),
    ("hr", 20),
    ("care", 20),
    ("complaints_committee", 10),
    ("mediator", 10),
    ("legal", 8),
    ("police", 3),
    ("other", 3),
    ("whistleblower_authority", 1),
)
CONTACT_COUNT_WEIGHTS = ((1, 30), (2, 25), (3, 20), (4, 12), (5, 8), (6, 5))
MINUTE_CHOICES = (15, 20, 30, 30, 45, 45, 45, 60, 60, 60, 75, 90)
ACTIVITY_WEIGHTS = (
    ("consultation_hr_wc", 20),
    ("visibility", 18),
    ("awareness", 18),
    ("management_advice", 15),
    ("signalling", 10),
    ("professional_development", 10),
)

# -- obviously fictional text (no names) ----------------------------------------------
SITUATIONS = {
    "nl": {
        "bullying": [
            "herhaalde kleinerende opmerkingen in het teamoverleg",
            "buitengesloten worden bij de lunch en in de groepsapp",
        ],
        "work_conflict": [
            "een slepend conflict over het rooster",
            "onenigheid over taken na een reorganisatie",
        ],
        "intimidation": [
            "een collega die steeds dreigend over de schouder meekijkt",
            "schreeuwen tijdens een werkoverleg",
        ],
        "sexual_harassment": [
            "ongewenste opmerkingen over uiterlijk",
            "ongewenste aanrakingen tijdens een afdelingsuitje",
        ],
        "aggression_violence": [
            "een klant die dreigende e-mails stuurt",
            "een duw tijdens een woordenwisseling",
        ],
        "discrimination": [
            "grappen over afkomst in de pauze",
            "het gevoel bij promotie te worden gepasseerd om leeftijd",
        ],
        "integrity": [
            "twijfels over de gang van zaken bij een inkooptraject",
            "vragen over een onkostendeclaratie",
        ],
        "other": [
            "een algemene vraag over de rol van de vertrouwenspersoon",
            "onrust in het team zonder duidelijke aanleiding",
        ],
    },
    "en": {
        "bullying": [
            "repeated belittling remarks in team meetings",
            "being left out at lunch and in the group chat",
        ],
        "work_conflict": [
            "a drawn-out conflict about the roster",
            "disagreement about tasks after a reorganisation",
        ],
        "intimidation": [
            "a colleague who keeps looking over the shoulder in a threatening way",
            "shouting during a work meeting",
        ],
        "sexual_harassment": [
            "unwanted remarks about appearance",
            "unwanted touching during a team outing",
        ],
        "aggression_violence": [
            "a client sending threatening e-mails",
            "a push during an argument",
        ],
        "discrimination": [
            "jokes about background during breaks",
            "feeling passed over for promotion because of age",
        ],
        "integrity": [
            "doubts about how a purchase was handled",
            "questions about an expense claim",
        ],
        "other": [
            "a general question about the confidential adviser's role",
            "unrest in the team without a clear cause",
        ],
    },
}
OPTIONS = {
    "nl": [
        "de mogelijkheden van een gesprek met de leidinggevende",
        "de klachtenprocedure",
        "zelf het gesprek aangaan",
        "een verwijzing naar de bedrijfsarts",
        "even afwachten en later opnieuw contact",
    ],
    "en": [
        "the options for a talk with the manager",
        "the complaints procedure",
        "raising it directly",
        "a referral to the occupational physician",
        "waiting a while and getting back in touch",
    ],
}
CASE_NOTE = {
    "nl": "Fictieve casus (demo): melder beschrijft {situation}. Besproken: {option}.",
    "en": "Fictional case (demo): the person describes {situation}. Discussed: {option}.",
}
CONTACT_NOTES = {
    "nl": [
        "Fictief vervolggesprek: stand van zaken doorgenomen.",
        "Fictief contact: opties nogmaals op een rij gezet.",
        "Fictief kort telefoontje: afspraak bevestigd.",
    ],
    "en": [
        "Fictional follow-up talk: went over how things stand.",
        "Fictional contact: listed the options again.",
        "Fictional short call: confirmed the appointment.",
    ],
}
ACTIVITY_NOTES = {
    "nl": {
        "awareness": "Fictieve voorlichting over omgangsvormen voor een team.",
        "visibility": "Fictieve kennismaking op een afdeling.",
        "management_advice": "Fictief advies aan de directie over preventie.",
        "consultation_hr_wc": "Fictief overleg met HR en OR.",
        "signalling": "Fictieve signalering van een patroon in meldingen.",
        "professional_development": "Fictieve intervisie met andere vertrouwenspersonen.",
        "reporting": "Fictief werk aan registratie en jaarverslag.",
    },
    "en": {
        "awareness": "Fictional awareness session on conduct for a team.",
        "visibility": "Fictional introduction visit to a department.",
        "management_advice": "Fictional advice to the board on prevention.",
        "consultation_hr_wc": "Fictional meeting with HR and the works council.",
        "signalling": "Fictional signal of a pattern in reports.",
        "professional_development": "Fictional peer review with other advisers.",
        "reporting": "Fictional administration and annual report work.",
    },
}
#: Fictional persons for the repeat-subject signal in the demo (never real names).
DEMO_SUBJECTS = ("Fictieve Persoon A", "Fictieve Persoon B")


@dataclass(frozen=True)
class OrgSpec:
    name: str
    employees: int
    cases: int
    consultations: int | None = None  # exact total, or None for 1-6 per case
    lang: str = "nl"
    threshold: int = 5
    retention_months: int = 12


@dataclass(frozen=True)
class BuildSummary:
    preset: str
    organisations: int
    cases: int
    consultations: int
    activities: int
    seconds: float


PRESETS = ("demo", "small", "practice", "stress")


def _split(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (exact sum, at least 1 each)."""
    whole = sum(weights)
    parts = [max(1, total * w // whole) for w in weights]
    parts[parts.index(max(parts))] += total - sum(parts)
    return parts


def _many(
    prefix: str, count: int, cases: int, consultations: int | None, rng: random.Random
) -> tuple[OrgSpec, ...]:
    employees = [int(rng.lognormvariate(5.3, 0.9)) + 20 for _ in range(count)]
    per_org = _split(cases, employees)
    contacts = _split(consultations, per_org) if consultations else [None] * count
    return tuple(
        OrgSpec(
            f"{prefix} {i + 1:02d}", employees[i], per_org[i], contacts[i], "nl" if i % 4 else "en"
        )
        for i in range(count)
    )


def organisations(preset: str, seed: str = DEFAULT_SEED) -> tuple[OrgSpec, ...]:
    """The organisations of a preset (names are obviously fictional)."""
    rng = random.Random(f"{seed}:{preset}:orgs")
    if preset == "demo":
        return (
            OrgSpec("Demo Bakkerij Klein", 15, 4),
            OrgSpec("Demo Zorggroep Midden", 120, 18),
            OrgSpec("Demo Gemeente Voorbeeldstad", 900, 110, retention_months=18),
        )
    if preset == "small":
        return (OrgSpec("Demo Kleine Organisatie", 60, 50),)
    if preset == "practice":
        return _many("Oefenorganisatie", 20, 50_000, 200_000, rng)
    if preset == "stress":
        return _many("Stresstest", 50, 200_000, None, rng)
    raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")


T = TypeVar("T")


def _pick(rng: random.Random, weights: Sequence[tuple[T, int]]) -> T:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def _workday(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _contact_counts(spec: OrgSpec, rng: random.Random) -> list[int]:
    counts = [_pick(rng, CONTACT_COUNT_WEIGHTS) for _ in range(spec.cases)]
    if spec.consultations is None:
        return counts
    target = spec.consultations
    cap = max(6, -(-2 * target // max(1, spec.cases)))
    total = sum(counts)
    while total != target:
        i = rng.randrange(spec.cases)
        if total < target and counts[i] < cap:
            counts[i] += 1
            total += 1
        elif total > target and counts[i] > 1:
            counts[i] -= 1
            total -= 1
    return counts


def _case(
    rng: random.Random, opened: date, n_contacts: int, lang: str, today: date
) -> tuple[CaseData, tuple[dict[str, Any], ...]]:
    primary = _pick(rng, BEHAVIOUR_WEIGHTS)
    behaviours = [primary]
    if rng.random() < 0.2:
        second = _pick(rng, BEHAVIOUR_WEIGHTS)
        if second != primary:
            behaviours.append(second)
    span = rng.choices(
        (rng.randint(0, 14), rng.randint(15, 60), rng.randint(61, 180), rng.randint(181, 365)),
        (30, 40, 25, 5),
    )[0]
    closed: date | None = opened + timedelta(days=span)
    if (closed is not None and closed > today) or rng.random() < 0.03:
        closed = None
    referrals: list[str] = []
    if rng.random() < 0.35:
        referrals.append(_pick(rng, REFERRAL_WEIGHTS))
        if rng.random() < 0.2:
            extra = _pick(rng, REFERRAL_WEIGHTS)
            if extra not in referrals:
                referrals.append(extra)
    help_ = [
        code
        for code, chance in (
            ("initial_support", 0.9),
            ("advice", 0.65),
            ("information", 0.35),
            ("accompaniment", 0.15),
        )
        if rng.random() < chance
    ]
    if closed and rng.random() < 0.2:
        help_.append("aftercare")
    if referrals:
        help_.append("referral")
    if not help_:
        help_.append("advice")
    follow_up = None
    if closed is None and rng.random() < 0.8:
        follow_up = max(opened, today + timedelta(days=rng.randint(-14, 30)))
    channel = _pick(rng, CHANNEL_WEIGHTS)
    notes = CASE_NOTE[lang].format(
        situation=rng.choice(SITUATIONS[lang][primary]), option=rng.choice(OPTIONS[lang])
    )
    case = CaseData(
        opened=opened,
        closed=closed,
        behaviours=tuple(behaviours),
        primary_behaviour=primary,
        channel=channel,
        contact_role=_pick(rng, ROLE_WEIGHTS),
        relation=_pick(rng, RELATION_WEIGHTS),
        help=tuple(help_),
        referrals=tuple(referrals),
        outcome=_pick(rng, OUTCOME_WEIGHTS) if closed else None,
        follow_up=follow_up,
        notes=notes,
    )
    end = closed or today
    days = sorted([0] + [rng.randint(0, (end - opened).days) for _ in range(n_contacts - 1)])
    contacts = tuple(
        {
            "date": opened + timedelta(days=d),
            "minutes": rng.choice(MINUTE_CHOICES),
            "channel": channel if i == 0 else _pick(rng, CHANNEL_WEIGHTS),
            "notes": rng.choice(CONTACT_NOTES[lang]) if rng.random() < 0.7 else "",
        }
        for i, d in enumerate(days)
    )
    return case, contacts


def cases(
    spec: OrgSpec, today: date, rng: random.Random
) -> list[tuple[CaseData, tuple[dict[str, Any], ...]]]:
    """The organisation's cases with their contact moments, oldest first."""
    start = today - timedelta(days=DAYS)
    opened = sorted(
        min(today, _workday(start + timedelta(days=rng.randint(1, DAYS))))
        for _ in range(spec.cases)
    )
    counts = _contact_counts(spec, rng)
    return [_case(rng, day, n, spec.lang, today) for day, n in zip(opened, counts)]


def activities(spec: OrgSpec, today: date, rng: random.Random) -> list[ActivityInput]:
    """Prevention and other work: some every month, the annual report each January."""
    result: list[ActivityInput] = []
    month = date(today.year - 2, today.month, 1)
    per_month = 1 + min(3, spec.employees // 300)
    while month <= today:
        next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        last = min(today, next_month - timedelta(days=1))
        kinds = [_pick(rng, ACTIVITY_WEIGHTS) for _ in range(per_month + rng.randint(0, 1))]
        if month.month == 1:
            kinds.append("reporting")
        for kind in kinds:
            day = _workday(month + timedelta(days=rng.randint(0, (last - month).days)))
            day = min(day, today)
            minutes = rng.choice(
                (60, 90, 120, 180) if kind in ("awareness", "reporting") else (30, 45, 60, 90)
            )
            result.append(ActivityInput(day, kind, minutes, ACTIVITY_NOTES[spec.lang][kind]))
        month = next_month
    return sorted(result, key=lambda a: str(a.date))


def _rng(seed: str, preset: str, index: int, part: str) -> random.Random:
    return random.Random(f"{seed}:{preset}:{index}:{part}")


def build(
    desk: Desk,
    preset: str = "demo",
    *,
    seed: str = DEFAULT_SEED,
    today: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildSummary:
    """Add the preset's organisations with their data to ``desk``.

    ``progress(organisation name, index, count)`` is called before each organisation.
    """
    today = today or date.today()
    started = time.perf_counter()
    specs = organisations(preset, seed)
    n_cases = n_contacts = n_activities = 0
    for index, spec in enumerate(specs):
        if progress is not None:
            progress(spec.name, index, len(specs))
        org = desk.add_organisation(
            OrganisationInput(
                spec.name, spec.employees, spec.threshold, spec.retention_months, spec.lang
            )
        )
        items = cases(spec, today, _rng(seed, preset, index, "cases"))
        codes = desk.insert_cases(org.id, items, event="synthetic")
        n_cases += len(codes)
        n_contacts += sum(len(c) for _, c in items)
        acts = activities(spec, today, _rng(seed, preset, index, "activities"))
        n_activities += desk.insert_activities(org.id, acts, event="synthetic")
        if preset == "demo" and index == len(specs) - 1:
            _demo_subjects(desk, org.id, items, codes)
    return BuildSummary(
        preset, len(specs), n_cases, n_contacts, n_activities, time.perf_counter() - started
    )


def _demo_subjects(
    desk: Desk,
    org_id: int,
    items: Sequence[tuple[CaseData, Sequence[dict[str, Any]]]],
    codes: Sequence[str],
) -> None:
    """A few cases about the same (fictional) manager: the repeat-subject signal."""
    about_manager = [code for (case, _), code in zip(items, codes) if case.relation == "manager"]
    for i, code in enumerate(about_manager[:5]):
        name = DEMO_SUBJECTS[0] if i < 3 else DEMO_SUBJECTS[1]
        desk.set_subject(org_id, desk.find_case(org_id, code).id, name)


# -- import files -------------------------------------------------------------------------

IMPORT_HEADER = {
    "nl": (
        "geopend",
        "gesloten",
        "rol",
        "gedrag",
        "relatie",
        "hulp",
        "doorverwijzing",
        "vervolg",
        "kanaal",
        "contactmomenten",
        "minuten",
        "notities",
    ),
    "en": (
        "opened",
        "closed",
        "contact_role",
        "behaviours",
        "relation",
        "help",
        "referrals",
        "outcome",
        "channel",
        "consultations",
        "minutes",
        "notes",
    ),
}


def import_rows(
    items: Sequence[tuple[CaseData, Sequence[dict[str, Any]]]], lang: str = "nl"
) -> list[list[str]]:
    """Cases as rows of an import file (header first), with labels in ``lang``."""

    def lab(dimension: str, code: str | None) -> str:
        return voc.label(dimension, code, lang) if code else ""

    def labs(dimension: str, codes: Sequence[str]) -> str:
        return "|".join(voc.label(dimension, c, lang) for c in codes)

    def day(value: date | None) -> str:
        if value is None:
            return ""
        return f"{value.day}-{value.month}-{value.year}" if lang == "nl" else value.isoformat()

    rows = [list(IMPORT_HEADER[lang])]
    for case, contacts in items:
        rows.append(
            [
                day(case.opened),
                day(case.closed),
                lab("contact_role", case.contact_role),
                labs("behaviour", case.behaviours),
                lab("relation", case.relation),
                labs("help", case.help),
                labs("referrals", case.referrals),
                lab("outcome", case.outcome),
                lab("channel", case.channel),
                str(len(contacts)),
                str(sum(c["minutes"] for c in contacts)),
                case.notes,
            ]
        )
    return rows


def write_import_csv(
    path: Path | str,
    count: int,
    *,
    lang: str = "nl",
    seed: str = DEFAULT_SEED,
    today: date | None = None,
) -> list[tuple[CaseData, tuple[dict[str, Any], ...]]]:
    """A CSV import file of ``count`` synthetic cases, as Excel writes it for ``lang``
    (Dutch: semicolons, BOM, D-M-YYYY; English: commas, ISO dates). Returns the cases."""
    today = today or date.today()
    spec = OrgSpec("Import", max(20, count), count, lang=lang)
    items = cases(spec, today, random.Random(f"{seed}:import:{count}:{lang}"))
    with open(path, "w", encoding="utf-8-sig" if lang == "nl" else "utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";" if lang == "nl" else ",").writerows(import_rows(items, lang))
    return items


# -- the demo data folder -------------------------------------------------------------------

DEMO_PASSPHRASE = "vertrouwelijk-demo"
_MARK_PRESET = "demo.preset"
_MARK_COMPLETE = "demo.complete"


def demo_data_dir() -> Path:
    """The default demo folder: a sibling of the user data folder, "vp_desk-demo"."""
    import platformdirs

    return Path(platformdirs.user_data_dir("vp_desk-demo", appauthor=False))


def ensure_demo_folder(path: Path | str, *, today: date | None = None) -> str:
    """Create the demo data folder at ``path``, or reuse it; returns what was done.

    "created": a new folder with the demo preset; "reused": it already was a
    complete demo folder; "rebuilt": an earlier build was interrupted, so its
    organisations were erased and built again. A folder that holds anything
    else (real data, other files) is refused with a UsageError and left as it is.
    """
    from vp_desk.errors import UsageError, WrongPassphrase
    from vp_desk.services.desk import Desk
    from vp_desk.vault.keyfile import KdfParams
    from vp_desk.vault.store import DataFolder

    folder = DataFolder(path)
    not_demo = UsageError(key="err_not_demo", path=folder.path)
    if not folder.is_initialised():
        if not folder.is_empty():
            raise not_demo
        # The demo passphrase is public: it need not pass the strength check.
        with Desk(folder.create(DEMO_PASSPHRASE, KdfParams.from_env())) as desk:
            _fill_demo(desk, today)
        return "created"
    try:
        desk = Desk(folder.unlock(DEMO_PASSPHRASE))
    except WrongPassphrase:
        raise not_demo from None
    with desk:
        if desk.get_setting(_MARK_COMPLETE) == "1":
            return "reused"
        if desk.get_setting(_MARK_PRESET) is None and desk.organisations():
            raise not_demo
        for org in desk.organisations():
            desk.shred_organisation(org.id)
        _fill_demo(desk, today)
    return "rebuilt"


def _fill_demo(desk: Desk, today: date | None) -> None:
    desk.set_setting(_MARK_PRESET, "demo")
    build(desk, "demo", today=today)
    desk.set_setting(_MARK_COMPLETE, "1")
