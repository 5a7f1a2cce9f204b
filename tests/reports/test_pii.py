"""Personal data in the free text: found by kind and place, never echoed."""

from __future__ import annotations

import pytest

from vp_desk.reports.pii import bsn_valid, iban_valid, scan, scan_texts, summary


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan(text)]


@pytest.mark.parametrize(
    "number,valid",
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
    ],
)
def test_bsn_eleven_check(number, valid):
    assert bsn_valid(number) is valid


@pytest.mark.parametrize(
    "iban,valid",
    [
        ("NL91ABNA0417164300", True),
        ("NL91 ABNA 0417 1643 00", True),
        ("NL92ABNA0417164300", False),
        ("GB82WEST12345698765432", True),
        ("BE68539007547034", True),
        ("NL91ABNA041716430", False),
    ],
)
def test_iban_mod_97(iban, valid):
    assert iban_valid(iban) is valid


def test_each_kind_is_found():
    assert kinds("mail fictief.persoon@example.org graag") == [
        ("email", "fictief.persoon@example.org")
    ]
    assert kinds("bel 06-12345678") == [("phone", "06-12345678")]
    assert kinds("of +31 6 1234 5678") == [("phone", "+31 6 1234 5678")]
    assert kinds("of 020 123 4567.") == [("phone", "020 123 4567")]
    assert kinds("BSN 111222333") == [("bsn", "111222333")]
    assert kinds("rekening NL91 ABNA 0417 1643 00 graag") == [("iban", "NL91 ABNA 0417 1643 00")]
    assert kinds("geboren op 3-4-1981") == [("birth_date", "3-4-1981")]
    assert kinds("geb. 12 maart 1979") == [("birth_date", "12 maart 1979")]
    assert kinds("date of birth: 1980-02-29") == [("birth_date", "1980-02-29")]


def test_ordinary_report_text_is_not_flagged():
    text = (
        "In 2025 kwamen er vooral meldingen over pesten. Op 12-03-2025 gaf ik een "
        "training voor 25 medewerkers; 123456789 is geen BSN en 1234 geen nummer. "
        "Advies: neem in Q3 de gedragscode door (zie artikel 7.2)."
    )
    assert scan(text) == []


def test_summary_names_kind_and_section_without_content():
    findings = scan_texts("Bel 06-12345678 of 06-87654321", "fictief@example.org")
    assert summary(findings, "en") == [
        "signals: a phone number",
        "recommendations: an e-mail address",
    ]
    assert summary(findings, "nl") == [
        "signalen: een telefoonnummer",
        "aanbevelingen: een e-mailadres",
    ]
    assert not any("0612" in line or "example" in line for line in summary(findings, "en"))
