"""Spotting what looks like personal data in the report's free text.

Signals and recommendations go to the employer, so before export they are
checked for e-mail addresses, Dutch phone numbers, BSNs (nine digits passing
the 11-check), IBANs (mod-97) and dates of birth (a date near "geboren",
"geb.", "born", "date of birth" ...). A finding records where and what kind,
never shown back in a message: the messages name the kind and the section only.
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


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.UNICODE)

_SEP = r"[\s\-.()/]{0,2}"
PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)\s?31" + _SEP + r"(?:\(0\)" + _SEP + r")?|\(?0)"
    r"(?:\d" + _SEP + r"){8}\d"
    r"(?![\w])"
)
SERVICE_PHONE = re.compile(r"(?<![\w])0[89]0\d[\s\-]?\d{4}(?:\d{3})?(?![\w])")

BSN = re.compile(
    r"(?<![\w.,-])(\d{4}[.\s]?\d{2}[.\s]?\d{3}|\d{3}[.\s]\d{3}[.\s]\d{3})(?![\w]|[.,-]\d)"
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


def scan(text: str, section: str = "text") -> list[Finding]:
    """Every finding in ``text``, in order of position (overlaps: first kind wins)."""
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
    result: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(f.start < r.end and r.start < f.end for r in result):
            continue
        result.append(f)
    return result


def scan_texts(signals: str, recommendations: str) -> list[Finding]:
    return scan(signals or "", "signals") + scan(recommendations or "", "recommendations")


def summary(findings: list[Finding], lang: str) -> list[str]:
    """One line per section and kind, e.g. "signals: an e-mail address" (no content)."""
    lines: list[str] = []
    for f in findings:
        line = f.describe(lang)
        if line not in lines:
            lines.append(line)
    return lines
