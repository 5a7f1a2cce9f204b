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
        "In 2025 kwamen er vooral meldingen over pesten. In maart gaf ik een "
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


# -- issue 12, item 6: what slipped through -------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Gesprek met mevrouw De Vries van afdeling Inkoop.", "person"),
        ("Signaal via dhr. Jansen.", "person"),
        ("Besproken met de heer P. de Boer.", "person"),
        ("Teamleider Bakker reageerde niet.", "person"),
        ("We spoke to Mr. J. Brown in March.", "person"),
        ("Mrs Smith raised the issue.", "person"),
        ("Bezoekadres 1012 AB 12.", "address"),
        ("Postadres: Damstraat 12, 1012 AB Amsterdam.", "address"),
        ("Het gaat om de afdeling van 3 medewerkers.", "team_size"),
        ("A team of four people reported it.", "team_size"),
        ("Er kwamen twee meldingen over seksuele intimidatie.", "small_count"),
        ("Er kwamen 2 meldingen over seksuele intimidatie.", "small_count"),
        ("We received one complaint about discrimination.", "small_count"),
        ("Een enkele melding betrof agressie.", "small_count"),
        ("Zie het verslag van 12-03-1985.", "date"),
        ("On 3 March 2025 it happened.", "date"),
        ("Bel 06 - 12345678 voor een afspraak.", "phone"),
        ("Bel 06\u201312345678 voor een afspraak.", "phone"),
        ("Bereikbaar op +32 2 555 12 34.", "phone"),
        ("Bereikbaar op +49 30 1234567.", "phone"),
        ("Reachable on +44 20 7946 0958.", "phone"),
        ("BSN 111-222-333 staat in het dossier.", "bsn"),
        ("Mail naar fictief\uff20example.org graag.", "email"),
    ],
)
def test_each_example_of_the_issue_is_caught(text, kind):
    assert kind in [f.kind for f in scan(text)], scan(text)


def test_a_count_is_flagged_only_below_the_reports_own_threshold():
    text = "Er kwamen vier meldingen over pesten."
    assert [f.kind for f in scan(text, k=5)] == ["small_count"]
    assert scan(text, k=3) == []
    assert scan("Er kwamen 12 meldingen over pesten.", k=5) == []


ORDINARY = [
    "In 2025 zijn er drie trainingen gegeven over ongewenst gedrag.",
    "Het aantal meldingen is ongeveer gelijk gebleven aan vorig jaar.",
    "Meer aandacht voor sociale veiligheid in de teams wordt aanbevolen.",
    "Het MT heeft in maart een sessie over de gedragscode gevolgd.",
    "De vertrouwenspersoon was dit jaar ruim 40 uur beschikbaar.",
    "Medewerkers weten niet altijd hoe ze een melding kunnen doen.",
    "Advies: stel voor 1 juli een nieuwe gedragscode op.",
    "Het beleid van 2023 is herzien en in 2024 ingevoerd.",
    "Er waren 12 meldingen in totaal, vooral over pesten.",
    "In Q3 was er een piek in het aantal vragen.",
    "Ik heb twee workshops over pesten gegeven aan leidinggevenden.",
    "Leidinggevenden kunnen vaker het gesprek aangaan met hun team.",
    "De manager moet signalen serieus nemen.",
    "Zie artikel 7.2 van de klachtenregeling en hoofdstuk 3.",
    "De vertrouwenspersoon adviseert een jaarlijkse evaluatie van de regeling.",
    "Een melding wordt altijd vertrouwelijk behandeld.",
    "Werkdruk en werkverdeling kwamen vaak ter sprake.",
    "Versie 2.1 van het protocol is op intranet gezet.",
    "We recommend a clear code of conduct for all staff.",
    "Awareness sessions were held in every department.",
    "The number of cases remained stable compared to last year.",
    "Managers were trained on three occasions in 2025.",
    "Two workshops on bullying were given to team leaders.",
    "A report can be made by phone, in person or in writing.",
    "Most questions were about workload and the working atmosphere.",
    "The adviser recommends that the management team discusses the findings.",
    "Staff know where to find the confidential adviser.",
    "Working hours: Monday to Friday, 9.00 to 17.00.",
    "The organisation has about 250 employees at 3 sites.",
    "Het gaat om 1,5 uur per week voorlichting.",
]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ordinary_report_sentences_pass(sentence):
    assert scan(sentence) == [], scan(sentence)


def test_the_order_of_kinds_in_the_refusal_is_always_the_same():
    text = (
        "Er kwamen twee meldingen. Bel 06-12345678. Mail fictief@example.org. "
        "Mevrouw De Vries, 1012 AB 12, 12-03-1985."
    )
    first = summary(scan_texts(text, text), "en")
    backwards = summary(list(reversed(scan_texts(text, text))), "en")
    assert first == backwards
    assert first[:3] == [
        "signals: an e-mail address",
        "signals: a phone number",
        "signals: a date",
    ]
    assert first[-1] == "recommendations: a number of cases below the threshold"
