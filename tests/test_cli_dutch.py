"""Dutch everywhere on the command line (issue 13 item 10): ``--lang nl`` or a Dutch
locale gives Dutch output and Dutch errors, English stays the default in the tests."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.portable import posix_only


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


# -- click's own messages and --help (vp_desk/cli/dutch.py) ---------------------------


def test_a_missing_argument_is_a_dutch_usage_error(folder):
    result = run_cli("--lang", "nl", "org", "add", data_dir=folder)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Gebruik: vp-desk org add [OPTIES] NAME",
        "Probeer 'vp-desk org add --help' voor hulp.",
        "",
        "Fout: Ontbrekend argument 'NAME'.",
    ]
    english = run_cli("org", "add", data_dir=folder)
    assert english.returncode == 2
    assert english.stderr.splitlines()[-1] == "Error: Missing argument 'NAME'."


@pytest.mark.parametrize(
    ("args", "dutch"),
    [
        (
            ["org", "add", "Acme", "--employees", "veel"],
            "Fout: Ongeldige waarde voor '--employees': 'veel' is geen geldig getal (integer).",
        ),
        (
            ["report", "Acme", "--format", "odt"],
            "Fout: Ongeldige waarde voor '--format': 'odt' is niet een van 'md', ",
        ),
        (["org", "list", "--bogus"], "Fout: Er is geen optie '--bogus'."),
        (["org", "adx"], "Fout: Er is geen opdracht 'adx'. Bedoelt u 'add'?"),
        # --lang after the value that fails: the language is known before click parses it.
        (["report", "Acme", "--year", "99999", "--lang", "nl"], "gebruik een jaar van 1900"),
    ],
)
def test_click_errors_are_dutch_with_exit_code_2(folder, args, dutch):
    lang = [] if "--lang" in args else ["--lang", "nl"]
    result = run_cli(*lang, *args, data_dir=folder)
    assert result.returncode == 2
    assert dutch in result.stderr
    assert "Usage:" not in result.stderr and "Error:" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dutch_locale_gives_dutch_click_errors_and_help(folder):
    env = {"VP_DESK_LANG": "", "LC_ALL": "nl_NL.UTF-8"}
    result = run_cli("org", "add", data_dir=folder, env=env)
    assert result.returncode == 2
    assert "Fout: Ontbrekend argument 'NAME'." in result.stderr
    shown = run_cli("org", "--help", data_dir=folder, env=env)
    assert "Klantorganisaties (elk in een eigen versleutelde kluis)." in shown.stdout
    # --lang on the command line wins over the locale.
    english = run_cli("--lang", "en", "org", "--help", data_dir=folder, env=env)
    assert "Client organisations" in english.stdout


def test_root_help_is_dutch(folder):
    shown = run_cli("--lang", "nl", "--help", data_dir=folder)
    assert shown.returncode == 0
    assert shown.stdout.startswith("Gebruik: vp-desk [OPTIES] [OPDRACHT] [ARGUMENTEN]...")
    assert "vp_desk: het bureau van de vertrouwenspersoon." in shown.stdout
    assert "\nOpties:\n" in shown.stdout and "\nOpdrachten:\n" in shown.stdout
    assert "Toon deze hulp en stop." in shown.stdout
    assert "  verify     Controleer het sleutelbestand" in shown.stdout
    assert "Show this message" not in shown.stdout and "Usage:" not in shown.stdout
    version = run_cli("--lang", "nl", "--version", data_dir=folder)
    assert version.stdout.startswith("vp-desk, versie ")
    assert run_cli("--version", data_dir=folder).stdout.startswith("vp-desk, version ")


def test_report_help_is_dutch(folder):
    from vp_desk.cli.dutch import HELP_NL

    shown = run_cli("--lang", "nl", "report", "--help", data_dir=folder)
    assert shown.returncode == 0
    flat = " ".join(shown.stdout.split())
    assert flat.startswith("Gebruik: vp-desk report [OPTIES] ORG")
    assert HELP_NL["report"] in flat
    for key in ("report:final", "report:confirm_text", "report:out_dir", "*:data_dir"):
        assert " ".join(HELP_NL[key].split()) in flat
    english = " ".join(run_cli("report", "--help", data_dir=folder).stdout.split())
    assert "Mark the report final" in english and "Markeer" not in english


def _tree():
    """Every command of ``vp-desk`` with its path (``""`` for the root)."""
    import click

    from vp_desk.cli import cli

    found = []

    def walk(command, path):
        found.append((path, command))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), f"{path} {name}".strip())

    walk(cli, "")
    return found


def test_every_command_and_option_has_a_dutch_help_text():
    import click

    from vp_desk.cli.dutch import HELP_NL

    used = set()
    missing = []
    for path, command in _tree():
        if command.help:
            if path in HELP_NL:
                used.add(path)
            else:
                missing.append(path)
        for param in command.params:
            if not isinstance(param, click.Option) or not param.help:
                continue
            for key in (f"{path}:{param.name}", f"*:{param.name}"):
                if key in HELP_NL:
                    used.add(key)
                    break
            else:
                missing.append(f"{path}:{param.name}")
    assert missing == []
    assert set(HELP_NL) - used == set(), "Dutch help for commands or options that are gone"


def test_dutch_help_leaves_the_english_unchanged():
    """The Dutch help is made on copies: English help before and after a Dutch
    run in the same process is the same, and the Dutch shows no English help."""
    import click
    from click.testing import CliRunner

    from vp_desk.cli import cli

    runner = CliRunner(env={"VP_DESK_LANG": "en"})
    paths = [path.split() for path, _ in _tree()]

    def helps(*lang):
        return [
            runner.invoke(cli, [*lang, *path, "--help"], prog_name="vp-desk").output
            for path in paths
        ]

    before = helps()
    dutch = helps("--lang", "nl")
    after = helps()
    assert before == after
    assert all(text.startswith("Usage: vp-desk") for text in before)
    for text, (path, command) in zip(dutch, _tree(), strict=True):
        flat = " ".join(text.split())
        assert flat.startswith(f"Gebruik: vp-desk {path}".strip()), flat[:80]
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                assert " ".join(param.help.split()) not in flat, (path, param.name)
        assert "Show this message" not in flat


def test_every_click_message_has_dutch():
    """A newer click with a new message fails here until it has its Dutch."""
    import ast
    from pathlib import Path

    import click

    from vp_desk.cli.dutch import CLICK_NL, CLICK_UNTRANSLATED, PATH_NAMES_NL

    known = set(CLICK_NL) | CLICK_UNTRANSLATED | set(PATH_NAMES_NL)
    missing = []
    for source in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                texts = [
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
                if node.func.id == "_" and texts and texts[0] not in known:
                    missing.append(texts[0])
                if node.func.id == "ngettext" and tuple(texts[:2]) not in known:
                    missing.append(tuple(texts[:2]))
    assert missing == []


# -- verify, damaged parts, backup and hand-over files ---------------------------------


def _roll_back_a_vault(folder, tmp_path):
    """An older copy of the organisation's vault put back after a later write."""
    import shutil

    from tests.conftest import PASSPHRASE
    from vp_desk.domain.models import CaseInput
    from vp_desk.services.desk import Desk

    assert run_cli("org", "add", "Acme BV", "--employees", "4", data_dir=folder).returncode == 0
    [org_file] = folder.glob("org-*.db")
    old = tmp_path / "old.db"
    shutil.copy2(org_file, old)
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation("Acme BV")
        desk.create_case(org.id, CaseInput(opened="2026-01-05", behaviours=["other"]))
    for suffix in ("-wal", "-shm"):
        (folder / (org_file.name + suffix)).unlink(missing_ok=True)
    shutil.copy2(old, org_file)
    return org_file


def test_verify_lists_its_problems_in_dutch(folder, tmp_path):
    org_file = _roll_back_a_vault(folder, tmp_path)
    (folder / "index.db").chmod(0o644)  # a loose permission, a second finding
    result = run_cli("--lang", "nl", "verify", data_dir=folder)
    assert result.returncode == 1
    warning, *lines = result.stderr.splitlines()
    assert warning.startswith("Waarschuwing: andere gebruikers van deze computer")
    # The rolled-back vault, then index.db and its -shm and -wal files.
    assert lines[0] == "De controle vond 4 problemen:", lines
    assert lines[1] == (
        f"de kluis van organisatie 1 ({org_file.name}): Ouder dan het sleutelbestand "
        f"vastlegt: de kluis {org_file.name}. Er is een oudere kopie teruggezet; het is niet "
        "geopend. Zet de hele datamap terug uit een back-up; 'vp-desk verify' geeft de details."
    )
    assert lines[2].endswith("index.db is leesbaar voor andere gebruikers (chmod go-rwx)")
    assert all("is leesbaar voor andere gebruikers" in line for line in lines[2:])
    # The same problems in English, word for word as before.
    english = run_cli("verify", data_dir=folder).stderr.splitlines()[1:]
    assert english[0] == "The check found 4 problems:"
    assert english[1].startswith(f"vault of organisation 1 ({org_file.name}): The vault ")
    assert "rolled back" in english[1]
    assert english[2].endswith("index.db can be read by other users (chmod go-rwx)")


def test_a_damaged_part_is_named_in_dutch_on_the_command_line_and_in_the_app(folder, tmp_path):
    org_file = _roll_back_a_vault(folder, tmp_path)
    result = run_cli("--lang", "nl", "case", "list", "Acme BV", data_dir=folder)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(
        f"Ouder dan het sleutelbestand vastlegt: de kluis {org_file.name}."
    )
    assert "vault" not in result.stderr

    from tests.conftest import PASSPHRASE
    from vp_desk.errors import DamagedFile
    from vp_desk.services.desk import Desk
    from vp_desk.tui.screens.unlock import describe_error

    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation("Acme BV")
        with pytest.raises(DamagedFile) as caught:
            desk.list_cases(org.id)
    assert describe_error(caught.value, "nl").startswith("Ouder dan het sleutelbestand")
    assert "rolled back" in describe_error(caught.value, "en")


def test_a_damaged_key_file_is_named_in_dutch(folder):
    for name in ("keyfile.json", "keyfile.prev.json"):
        (folder / name).write_bytes((folder / name).read_bytes()[:100])
    result = run_cli("--lang", "nl", "org", "list", data_dir=folder)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Beide kopieën van het sleutelbestand zijn beschadigd. Zet de datamap terug uit een "
        "back-up."
    )


def test_a_file_that_is_no_backup_is_refused_in_dutch(folder, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup at all\n" * 10)
    result = run_cli("--lang", "nl", "restore", str(junk), data_dir=tmp_path / "new")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "notes.txt is geen back-upbestand van vp_desk, of het is beschadigd. Er is niets gewijzigd."
    )
    english = run_cli("restore", str(junk), data_dir=tmp_path / "new2")
    assert english.stderr.strip() == (
        "notes.txt is not a vp_desk backup file, or it is damaged. Nothing was changed."
    )


def test_a_backup_given_as_a_hand_over_file_is_refused_in_dutch(folder, tmp_path):
    out = tmp_path / "backup.vpdesk"
    assert run_cli("backup", str(out), data_dir=folder).returncode == 0
    one_time = {"VP_DESK_HANDOVER_PASSPHRASE": "some one-time words"}
    result = run_cli("--lang", "nl", "handover", "import", str(out), data_dir=folder, env=one_time)
    assert result.returncode == 2
    assert result.stderr.strip() == "backup.vpdesk is een back-upbestand, geen overdrachtsbestand."
    flipped = tmp_path / "flipped.vpdesk"
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 1
    flipped.write_bytes(bytes(raw))
    damaged = run_cli("--lang", "nl", "restore", str(flipped), data_dir=tmp_path / "new")
    assert damaged.returncode == 1
    assert damaged.stderr.strip().startswith(
        "flipped.vpdesk is beschadigd: de controlesom klopt niet"
    )


def test_the_report_language_of_org_add_is_not_the_output_language(folder):
    """``org add --lang`` is the organisation's report language (docs/en/commands.md)."""
    added = run_cli(
        "--lang", "nl", "org", "add", "Acme BV", "--lang", "en", "--employees", "3", data_dir=folder
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Organisatie Acme BV toegevoegd (nummer 1)."
    missing = run_cli("--lang", "nl", "org", "add", "--lang", "en", data_dir=folder)
    assert missing.returncode == 2
    assert "Fout: Ontbrekend argument 'NAME'." in missing.stderr


def _answer_on_a_terminal(args, answer, folder):
    """Run ``vp-desk`` on a pseudo-terminal, answer its question, return (code, output)."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    from tests.conftest import PASSPHRASE

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(
        {
            "VP_DESK_KDF": "minimum",
            "VP_DESK_LANG": "en",
            "VP_DESK_STRICT_I18N": "1",
            "VP_DESK_PASSPHRASE": PASSPHRASE,
            "VP_DESK_HOME": str(folder),
        }
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "vp_desk", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    answered = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            if not answered and b"]" in output.split(b"\n")[-1]:
                os.write(master, answer.encode() + b"\n")
                answered = True
            if proc.poll() is not None and not ready:
                break
        return proc.wait(10), output.decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


@posix_only
def test_a_dutch_question_is_answered_with_j(folder):
    import json

    assert run_cli("org", "add", "Acme BV", "--employees", "4", data_dir=folder).returncode == 0
    assert run_cli("org", "add", "Beta BV", "--employees", "4", data_dir=folder).returncode == 0
    code, output = _answer_on_a_terminal(
        ["--lang", "nl", "org", "remove", "Acme BV", "--shred"], "n", folder
    )
    assert code == 2 and "[j/N]" in output and "Afgebroken; er is niets gewijzigd." in output
    code, output = _answer_on_a_terminal(
        ["--lang", "nl", "org", "remove", "Acme BV", "--shred"], "j", folder
    )
    assert code == 0, output
    assert "Organisatie Acme BV is gewist." in output
    listed = run_cli("org", "list", "--json", data_dir=folder)
    assert [o["name"] for o in json.loads(listed.stdout)] == ["Beta BV"]


def test_a_file_the_system_refuses_is_explained_in_dutch(folder, tmp_path):
    assert run_cli("org", "add", "Acme BV", "--employees", "4", data_dir=folder).returncode == 0
    missing = tmp_path / "signalen.txt"
    result = run_cli(
        "--lang",
        "nl",
        "report",
        "Acme BV",
        "--year",
        "2025",
        "--signals-file",
        str(missing),
        data_dir=folder,
    )
    assert result.returncode == 2
    assert "signalen.txt kon niet worden gelezen (bestand of map bestaat niet)." in result.stderr
    folder_given = run_cli(
        "--lang",
        "nl",
        "report",
        "Acme BV",
        "--year",
        "2025",
        "--signals-file",
        str(tmp_path),
        data_dir=folder,
    )
    assert folder_given.returncode == 2
    assert folder_given.stderr.splitlines()[-1] == (
        f"Fout: Ongeldige waarde voor '--signals-file': '{tmp_path}' is een map."
    )
