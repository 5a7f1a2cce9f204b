"""Dutch everywhere on the command line (issue 13 item 10): ``--lang nl`` or a Dutch
locale gives Dutch output and Dutch errors, English stays the default in the tests."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.fixture
def folder(tmp_path):
    data = tmp_path / "data"
    assert run_cli("init", data_dir=data).returncode == 0
    return data


def test_org_add_and_list_speak_dutch_with_lang_nl(folder):
    empty = run_cli("--lang", "nl", "org", "list", data_dir=folder)
    assert empty.returncode == 0
    assert (
        empty.stdout.strip() == "Nog geen organisaties. Voeg er een toe met 'vp-desk org add NAAM'."
    )

    added = run_cli("--lang", "nl", "org", "add", "Acme BV", "--employees", "40", data_dir=folder)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Organisatie Acme BV toegevoegd (nummer 1)."

    listed = run_cli("--lang", "nl", "org", "list", data_dir=folder)
    header, row = listed.stdout.splitlines()
    assert header.split() == ["naam", "medewerkers", "open", "meldingen"]
    assert row.split() == ["Acme", "BV", "40", "0"]
    # The columns line up under their Dutch headings.
    assert len(header) == len(row)


def test_a_dutch_locale_gives_dutch_output_without_lang(folder):
    env = {"VP_DESK_LANG": "", "LC_ALL": "nl_NL.UTF-8"}
    listed = run_cli("org", "list", data_dir=folder, env=env)
    assert listed.stdout.startswith("Nog geen organisaties.")


def test_english_stays_the_default(folder):
    listed = run_cli("org", "list", data_dir=folder)
    assert listed.stdout.startswith("No organisations yet.")


def test_verify_speaks_dutch(folder):
    assert run_cli("org", "add", "Acme BV", "--employees", "4", data_dir=folder).returncode == 0
    checked = run_cli("--lang", "nl", "verify", data_dir=folder)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == (
        "Alle controles geslaagd: sleutelbestand, indexkluis, 1 organisatiekluis en de audittrail."
    )
    assert "1 organisation vault and its audit trail." in run_cli("verify", data_dir=folder).stdout


@pytest.mark.parametrize(
    ("args", "passphrase", "code", "dutch"),
    [
        (["org", "list"], "a wrong passphrase of some length", 3, "De wachtzin klopt niet."),
        (["case", "list", "Nobody"], None, 2, "Er is geen organisatie met die naam."),
        (["org", "remove", "Acme"], None, 2, "voeg --shred toe"),
        (["org", "add", "Acme BV", "--employees", "3"], None, 2, "Er is al een organisatie"),
        (["report", "Acme BV", "--year", "99999"], None, 2, "gebruik een jaar van 1900"),
        (["report", "--year", "2025"], None, 2, "Noem de organisatie (ORG)"),
        (["case", "export", "Acme BV", "2026-999"], None, 2, "Er is geen melding 2026-999"),
    ],
)
def test_errors_are_dutch_with_lang_nl(folder, args, passphrase, code, dutch):
    from tests.conftest import PASSPHRASE

    assert run_cli("org", "add", "Acme BV", "--employees", "4", data_dir=folder).returncode == 0
    result = run_cli("--lang", "nl", *args, data_dir=folder, passphrase=passphrase or PASSPHRASE)
    assert result.returncode == code
    assert dutch in result.stderr
    assert "Traceback" not in result.stderr
    english = run_cli(*args, data_dir=folder, passphrase=passphrase or PASSPHRASE)
    assert dutch not in english.stderr


def test_an_error_outside_a_data_folder_is_dutch(tmp_path):
    result = run_cli("--lang", "nl", "org", "list", data_dir=tmp_path / "none")
    assert result.returncode == 2
    assert result.stderr.startswith("Er is geen vp_desk-datamap in ")
