"""Spotting what looks like personal data in the report's free text.

Signals and recommendations go to the employer, so before export they are
checked for, in Dutch and English text:

- e-mail addresses (a full-width ＠ counts);
- phone numbers, Dutch and foreign, with any dash or spacing (the usual Dutch
  forms by pattern, everything else with phonenumberslite in its strict
  ``VALID`` mode: a number must exist in the numbering plan of its country);
- BSNs (nine digits passing the 11-check, with dots, spaces or dashes),
  IBANs (mod-97);
- dates of birth (a date near "geboren", "born" ...) and any other full date
  (``12-03-1985``, ``12 maart 1985``): a date can pin an incident or a person;
- a postcode with a house number (``1012 AB 12``) or a street with its number;
- a person named with a title or role ("mevrouw De Vries", "dhr. Jansen",
  "de heer P. de Boer", "teamleider Bakker", "Mr. J. Brown");
- a team or department with its size below 50 ("de afdeling van 3
  medewerkers", "a team of four");
- a count of cases below the report's threshold k, in digits or words ("twee
  meldingen over seksuele intimidatie", "one complaint"): it would restate a
  count that the figures hide. The indefinite article ("een melding doen")
  is not a count;
- a share of the cases ("25% van de meldingen", "de helft van de meldingen",
  "a third of the complaints"): with the published total it restates a count.

Before matching, full-width forms, dashes and unusual spaces are folded to
their ASCII forms one character for one, so positions stay valid. A finding
records where and what kind, never shown back in a message: the messages name
the kind and the section only, always in the same order (sections, then the
kinds in the order of ``KINDS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS: dict[str, tuple[str, str]] = {
    "email": ("een e-mailadres", "an e-mail address"),
    "phone": ("een telefoonnummer", "a phone number"),
    "bsn": ("een burgerservicenummer (BSN)", "a citizen service number (BSN)"),
    "iban": ("een rekeningnummer (IBAN)", "a bank account number (IBAN)"),
    "birth_date": ("een geboortedatum", "a date of birth"),
    "date": ("een datum", "a date"),
    "address": ("een adres (postcode of straat met huisnummer)", "an address (with a number)"),
    "person": ("een naam met aanspreekvorm of functie", "a name with a title or role"),
    "team_size": ("een team of afdeling met de omvang", "a team or department with its size"),
    "small_count": (
        "een aantal meldingen onder de drempel",
        "a number of cases below the threshold",
    ),
    "share": (
        "een aandeel van de meldingen (percentage of deel)",
        "a share of the cases (a percentage or fraction)",
    ),
}
SECTIONS: dict[str, tuple[str, str]] = {
    "signals": ("signalen", "signals"),
    "recommendations": ("aanbevelingen", "recommendations"),
}


@dataclass(frozen=True)
class Finding:
    section: str
    kind: str
    start: int
    end: int

    def describe(self, lang: str) -> str:
        i = 0 if lang == "nl" else 1
        return f"{SECTIONS.get(self.section, (self.section,) * 2)[i]}: {KINDS[self.kind][i]}"


EMAIL = re.compile(
    r"[\w.+'-]+(?:@|\s@\s|\s?[(\[]\s?(?i:at)\s?[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}",
    re.UNICODE,
)

_SEP = r"[\s\-.()/]{0,2}"
PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)\s?31" + _SEP + r"(?:\(0\)" + _SEP + r")?|\(?0)"
    r"(?:\d" + _SEP + r"){8}\d"
    r"(?![\w])"
)
SERVICE_PHONE = re.compile(r"(?<![\w])0[89]0\d[\s\-]?\d{4}(?:\d{3})?(?![\w])")

BSN = re.compile(
    r"(?<![\w.,-])(\d{4}[.\s]?\d{2}[.\s]?\d{3}|\d{3}[.\s-]\d{3}[.\s-]\d{3})(?![\w]|[.,-]\d)"
)

IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]){11,30}")
IBAN_LENGTHS = {
    "NL": 18,
    "BE": 16,
    "DE": 22,
    "FR": 27,
    "GB": 22,
    "ES": 24,
    "IT": 27,
    "LU": 20,
    "AT": 20,
    "CH": 21,
    "IE": 22,
    "PT": 25,
    "DK": 18,
    "SE": 24,
    "NO": 15,
    "FI": 18,
    "PL": 28,
}

_MONTHS = (
    r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|maart|mrt|mar(?:ch)?|apr(?:il)?|mei|may|"
    r"jun[ie]?|jul[iy]?|aug(?:ustus|ust)?|sep(?:tember|t)?|okt(?:ober)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    r"(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}\s+(?:" + _MONTHS + r")\.?\s+\d{4}"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
BIRTH = re.compile(
    r"(?:geboren|geb\.|geboortedatum|geboortedag|born|birth\s*date|date\s+of\s+birth|"
    r"d\.o\.b\.?|\bdob\b)[^\n]{0,25}?(" + _DATE + r")",
    re.IGNORECASE,
)
BIRTH_AFTER = re.compile(r"(" + _DATE + r")\s*\(?\s*(?:geboren|geb\.|born)", re.IGNORECASE)


DATE = re.compile(
    r"(?<![\w./-])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?![\w/]|[.-]\d)"
    r"|(?<![\w-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w]|-\d)"
    r"|(?<!\w)\d{1,2}\s+(?:" + _MONTHS + r")\.?\s+\d{4}(?!\w)"
    r"|(?<!\w)(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?!\w)"
    r"|(?<![\w./-])(?P<sd>\d{1,2})\s{1,2}[-/]\s{1,2}(?P<sm>\d{1,2})\s{1,2}[-/]\s{1,2}\d{4}(?!\w)",
    re.IGNORECASE,
)

_STREET = (
    r"straat|weg|laan|plein|gracht|kade|dijk|singel|hof|pad|steeg|dreef|park|markt|"
    r"street|road|avenue|lane"
)
ADDRESS = re.compile(
    r"(?<![\w-])[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?:(?![\w])[\s,]{1,3}|(?=\d))\d{1,5}"
    r"(?:\s?[a-zA-Z])?(?!\w)"
    r"|(?<!\w)\d{1,5}[a-zA-Z]?[\s,]{1,3}[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?!\w)"
    r"|(?<!\w)[A-Z][a-zà-ÿ]+(?:" + _STREET + r")\s+\d{1,5}[a-zA-Z]?(?!\w)"
)

_TITLES = (
    r"mevrouw|mevr\.|mw\.|mej\.|meneer|mijnheer|dhr\.|de\s+heer|hr\.|dr\.|drs\.|ir\.|"
    r"ing\.|mr\.|prof\.|mrs\.?|mr|ms\.?|miss|dr|prof|dhr|mevr|mvr|mw"
)
_ROLES = (
    r"teamleider|teamleidster|leidinggevende|manager|directeur|directrice|chef|"
    r"afdelingshoofd|collega|supervisor|co[öo]rdinator|voorzitter|bestuurder|"
    r"team\s+leader|director|colleague|line\s+manager"
)
_PARTICLES = r"(?:van|de|der|den|het|te|ten|ter|in\s+'t|'t|op\s+de|van\s+der|van\s+den|van\s+de)"
PERSON = re.compile(
    r"(?<![\w.])(?i:" + _TITLES + "|" + _ROLES + r")(?:\s+|(?<=\.))"
    r"(?:[A-Z]\.\s?){0,3}(?:(?i:" + _PARTICLES + r")\s+)*"
    r"[A-Z][a-zà-ÿ'’-]+"
)

_NUMBER_WORDS = {
    "één": 1, "eén": 1, "one": 1, "twee": 2, "two": 2, "drie": 3, "three": 3,
    "vier": 4, "four": 4, "vijf": 5, "five": 5, "zes": 6, "six": 6, "zeven": 7,
    "seven": 7, "acht": 8, "eight": 8, "negen": 9, "nine": 9, "tien": 10, "ten": 10,
    "elf": 11, "eleven": 11, "twaalf": 12, "twelve": 12,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|een\s+enkele|a\s+single|" + "|".join(_NUMBER_WORDS) + ")"
_PEOPLE = (
    r"medewerkers|werknemers|collega'?s|collega’s|mensen|personen|leden|fte|"
    r"employees|staff|people|colleagues|members|workers|persons"
)
_TEAM = r"team|teams|afdeling|department|unit|vestiging|locatie|groep|group|ploeg|dienst"
TEAM_SIZE = re.compile(
    r"(?i)(?<!\w)(?:"
    + _TEAM
    + r")(?!\w)[^.!?\n]{0,40}?(?<!\w)("
    + _NUM
    + r")\s+(?:"
    + _PEOPLE
    + r")(?!\w)"
    r"|(?<!\w)(" + _NUM + r")\s+(?:" + _PEOPLE + r")[^.!?\n]{0,25}?(?<!\w)(?:" + _TEAM + r")(?!\w)"
    r"|(?<!\w)(?:" + _TEAM + r")\s+(?:van|of|met|with)\s+(" + _NUM + r")(?!\w)"
)
_CASES = (
    r"meldingen|melding|casussen|casus|gevallen|geval|klachten|klacht|zaken|zaak|"
    r"melders|meldsters|melder|meldster|slachtoffers|cases|case|reports|report|complaints|"
    r"complaint|"
    r"incidents|incident|victims|victim|notifications"
)
SMALL_COUNT = re.compile(
    r"(?i)(?<![\w.,])(" + _NUM + r")\s+(?:[a-zà-ÿ]+\s+)?(?:" + _CASES + r")(?!\w)"
)


_BEHAVIOURS = (
    r"intimidatie|pesten|gepest|pestgedrag|discriminatie|agressie|geweld|racisme|"
    r"harassment|bullying|discrimination|aggression|violence|racism|intimidation"
)
_REPORTED = (
    r"(?:(?:hebben|hadden|have|had)\s+)?(?:zich\s+)?"
    r"(?:meldden|meldde|gemeld|klaagden|geklaagd|reported|complained|came\s+forward)"
)
#: Other ways of saying "n cases": "twee werknemers meldden zich", "2x seksuele
#: intimidatie", "tweemaal pesten", "in 2 van de gevallen", "two people reported".
SMALL_COUNT_OTHER = re.compile(
    r"(?i)(?<![\w.,])(?:"
    r"(" + _NUM + r")\s+(?:[a-zà-ÿ]+\s+)?(?:" + _PEOPLE + r")\s+" + _REPORTED + r"(?!\w)"
    r"|(" + _NUM + r")\s*(?:x|×|keer|maal|times)\s+(?:[a-zà-ÿ]+\s+)?(?:" + _BEHAVIOURS + r")"
    r"|(een|twee|drie|vier|vijf|zes)maal\s+(?:[a-zà-ÿ]+\s+)?(?:" + _BEHAVIOURS + r")"
    r"|(" + _NUM + r")\s+(?:van\s+de|of\s+the)\s+(?:\d+\s+)?(?:" + _CASES + r")(?!\w)"
    r")"
)


_FRACTIONS = (
    r"de\s+helft|een\s+kwart|een\s+derde|twee\s+derde|drie\s*kwart|"
    r"half|a\s+quarter|one\s+quarter|a\s+third|one\s+third|two\s+thirds|three\s+quarters"
)
#: A share of the cases restates a count: "25% van de meldingen" of 12 is 3,
#: whatever the table hides - and 75% of 12 leaves 3 outside (group disclosure).
SHARE = re.compile(
    r"(?i)(?<![\w.,])(?:\d{1,3}(?:[.,]\d+)?\s?(?:%|procent|percent|per\s+cent)|" + _FRACTIONS + r")"
    r"\s+(?:(?:van|of)\s+(?:de|het|alle|the|all|our|onze)\s+|of\s+)?(?:[a-zà-ÿ]+\s+)?"
    r"(?:" + _CASES + r")(?!\w)"
)


def _number_value(text: str) -> int | None:
    word = re.sub(r"\s+", " ", text.strip().lower())
    if word in ("een enkele", "a single"):
        return 1
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


# Full-width forms, dashes and unusual spaces -> ASCII, one character for one.
def _dashes() -> dict[str, str]:
    """Every dash of Unicode (category Pd) and the minus and hyphen look-alikes
    of other categories -> "-"; middle dots -> "." (a date or number written
    with any of them reads the same)."""
    import unicodedata

    out = {chr(c): "-" for c in range(0x80, 0x10000) if unicodedata.category(chr(c)) == "Pd"}
    out |= {c: "-" for c in "\u02d7\u2043\u2212\u2796\u30fc\uff70\u2e3a\u2e3b\u301c\u2053"}
    out |= {c: "." for c in "\u00b7\u2027\u2219\u22c5\u30fb\uff65\u2024"}
    return out


_FOLD = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)}
    | _dashes()
    | {c: " " for c in "\u00a0\u2007\u202f\u3000\u2009\u200a"}
    | {"\ufe6b": "@"}
)


def fold(text: str) -> str:
    """The text with look-alike characters replaced 1:1 (positions are kept)."""
    return text.translate(_FOLD)


def bsn_valid(digits: str) -> bool:
    """The 11-check (elfproef) of a BSN: weights 9..2 and -1, sum divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616 mod-97 check (and the length, for the countries we know)."""
    iban = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    length = IBAN_LENGTHS.get(iban[:2])
    if length is not None and len(iban) != length:
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _phone_ok(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    plus = candidate.lstrip().startswith("+")
    if plus or digits.startswith("0031"):
        rest = digits[2:] if plus else digits[4:]
        if rest.startswith("0"):
            rest = rest[1:]
        return len(rest) == 9
    return digits.startswith("0") and len(digits) == 10


def _iban_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in IBAN.finditer(text):
        raw = m.group(0)
        compact = re.sub(r"\s", "", raw)
        lengths = (
            [IBAN_LENGTHS[compact[:2].upper()]]
            if compact[:2].upper() in IBAN_LENGTHS
            else range(min(34, len(compact)), 14, -1)
        )
        for length in lengths:
            if len(compact) < length or not iban_valid(compact[:length]):
                continue
            # Map the compact length back to a span in the raw text.
            count = 0
            for i, ch in enumerate(raw):
                if not ch.isspace():
                    count += 1
                if count == length:
                    spans.append((m.start(), m.start() + i + 1))
                    break
            break
    return spans


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers of any country, validated against the numbering plans (strict)."""
    if not re.search(r"\d[\d\s().-]{6,}\d", text):
        return []
    import phonenumbers

    return [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
    ]


def _valid_date(m: re.Match[str]) -> bool:
    if m.group(1):
        day, month = int(m.group(1)), int(m.group(2))
    elif m.group(4):
        day, month = int(m.group(6)), int(m.group(5))
    elif m.group("sd"):
        day, month = int(m.group("sd")), int(m.group("sm"))
    else:
        return True
    return 1 <= day <= 31 and 1 <= month <= 12


#: Characters that show nothing (or only a mark on the character before):
#: zero-width joiner, combining grapheme joiner, variation selectors, fillers,
#: tags, soft hyphen and the like. "06<U+034F>12345678" reads as a phone number.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]"
)


def _visible(text: str) -> tuple[str, list[int]]:
    """The text without invisible characters and combining marks, and for every
    kept character its position in ``text`` (combining marks go too: a name
    written with decomposed accents still matches, and a mark cannot split a number)."""
    import unicodedata

    keep = [
        i
        for i, ch in enumerate(text)
        if not _INVISIBLE.match(ch) and unicodedata.category(ch) not in ("Mn", "Me")
    ]
    return "".join(text[i] for i in keep), keep


def scan(text: str, section: str = "text", k: int = 5) -> list[Finding]:
    """Every finding in ``text``, in order of position (overlaps: the first kind wins).

    ``k`` is the report's threshold: counts of cases from 1 to k-1 are findings.
    Invisible characters and combining marks are left out before matching;
    positions refer to ``text`` as given.
    """
    text = fold(text or "")
    visible, where = _visible(text)
    if len(visible) == len(text):
        return _scan(text, section, k)
    return [
        Finding(f.section, f.kind, where[f.start], where[f.end - 1] + 1)
        for f in _scan(visible, section, k)
    ]


def _scan(text: str, section: str, k: int) -> list[Finding]:
    found: list[Finding] = []
    for m in EMAIL.finditer(text):
        found.append(Finding(section, "email", m.start(), m.end()))
    for start, end in _iban_spans(text):
        found.append(Finding(section, "iban", start, end))
    for m in BIRTH.finditer(text):
        found.append(Finding(section, "birth_date", m.start(1), m.end(1)))
    for m in BIRTH_AFTER.finditer(text):
        found.append(Finding(section, "birth_date", m.start(1), m.end(1)))
    for m in PHONE.finditer(text):
        if _phone_ok(m.group(0)):
            found.append(Finding(section, "phone", m.start(), m.end()))
    for m in SERVICE_PHONE.finditer(text):
        found.append(Finding(section, "phone", m.start(), m.end()))
    for m in BSN.finditer(text):
        if bsn_valid(re.sub(r"\D", "", m.group(1))):
            found.append(Finding(section, "bsn", m.start(1), m.end(1)))
    for m in DATE.finditer(text):
        if _valid_date(m):
            found.append(Finding(section, "date", m.start(), m.end()))
    for start, end in _phone_spans(text):
        found.append(Finding(section, "phone", start, end))
    for m in ADDRESS.finditer(text):
        found.append(Finding(section, "address", m.start(), m.end()))
    for m in PERSON.finditer(text):
        found.append(Finding(section, "person", m.start(), m.end()))
    for m in TEAM_SIZE.finditer(text):
        number = next(g for g in m.groups() if g is not None)
        value = _number_value(number)
        if value is not None and 0 < value < 50:
            found.append(Finding(section, "team_size", m.start(), m.end()))
    for m in SMALL_COUNT.finditer(text):
        value = _number_value(m.group(1))
        if value is not None and 0 < value < k:
            found.append(Finding(section, "small_count", m.start(), m.end()))
    for m in SHARE.finditer(text):
        found.append(Finding(section, "share", m.start(), m.end()))
    for m in SMALL_COUNT_OTHER.finditer(text):
        word = next(g for g in m.groups() if g is not None)
        value = _number_value("één" if word.lower() == "een" and m.group(3) else word)
        if value is not None and 0 < value < k:
            found.append(Finding(section, "small_count", m.start(), m.end()))
    result: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(f.start < r.end and r.start < f.end for r in result):
            continue
        result.append(f)
    return result


def scan_texts(signals: str, recommendations: str, k: int = 5) -> list[Finding]:
    return scan(signals or "", "signals", k) + scan(recommendations or "", "recommendations", k)


def summary(findings: list[Finding], lang: str) -> list[str]:
    """One line per section and kind, e.g. "signals: an e-mail address" (no content).

    Always in the same order: sections as in ``SECTIONS``, kinds as in ``KINDS``.
    """
    section_order = {name: i for i, name in enumerate(SECTIONS)}
    kind_order = {name: i for i, name in enumerate(KINDS)}
    keys = sorted(
        {(f.section, f.kind) for f in findings},
        key=lambda sk: (section_order.get(sk[0], len(section_order)), sk[0], kind_order[sk[1]]),
    )
    lines: list[str] = []
    for section, kind in keys:
        line = Finding(section, kind, 0, 0).describe(lang)
        if line not in lines:
            lines.append(line)
    return lines
