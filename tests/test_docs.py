"""The documentation matches the program.

- every ``vp-desk <command> [<subcommand>]`` written in README.md or docs/**/*.md
  (in code spans and code blocks) exists in the click command tree, and every
  ``--option`` written after it is an option of that command;
- every command and subcommand has a help text, every option a help string, and
  the command reference pages (docs/nl/opdrachten.md, docs/en/commands.md) name
  every command and every option;
- relative links between the documentation files (and their #anchors) point to
  files and headings that exist;
- the example reports in docs/examples/ are what the program writes today, and
  the true counts the worked example explains are those of the demo data;
- what the docs promise about the data folder option holds.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from tests.conftest import PASSPHRASE, run_cli

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_PAGES = (ROOT / "docs" / "nl" / "opdrachten.md", ROOT / "docs" / "en" / "commands.md")


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# -- the command tree -----------------------------------------------------------------------------


def root_command() -> click.Group:
    from vp_desk.cli import cli

    return cli


def subcommands(group: click.Group) -> dict[str, click.Command]:
    ctx = click.Context(group)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}


def walk(command: click.Command, path: tuple[str, ...] = ()):
    """(path, command) for the root and every command below it."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in subcommands(command).items():
            assert sub is not None, f"vp-desk {' '.join(path + (name,))} cannot be loaded"
            yield from walk(sub, path + (name,))


def option_names(command: click.Command) -> set[str]:
    names: set[str] = set()
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts)
            names.update(param.secondary_opts)
    names.update(command.get_help_option_names(click.Context(command)))
    return names


def takes_value(command: click.Command, name: str) -> bool:
    for param in command.params:
        if isinstance(param, click.Option) and name in param.opts:
            return not param.is_flag and not param.count
    return False


# -- finding "vp-desk ..." in the docs ------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    file: Path
    line: int
    text: str  # what follows "vp-desk", up to the end of the shell command

    def where(self) -> str:
        return f"{rel(self.file)}:{self.line}: vp-desk{self.text}"


FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`([^`]+)`")
VP_DESK = re.compile(r"(?<![\w/.-])vp-desk(?![\w-])")
SEPARATORS = re.compile(r"&&|\|\||;|(?<!\\)\|(?=\s)|\s>|\s<|\)")


def doc_lines(path: Path):
    """(line number, line, inside a code block?) for every line but the fences."""
    in_block = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            in_block = not in_block
            continue
        yield number, line, in_block


def code_pieces(path: Path):
    """(line number, code) for every code span and every line of a code block."""
    for number, line, in_block in doc_lines(path):
        if in_block:
            yield number, line
        else:
            for match in CODE_SPAN.finditer(line):
                yield number, match.group(1)


def mentions() -> list[Mention]:
    found = []
    for path in doc_files():
        for number, code in code_pieces(path):
            for match in VP_DESK.finditer(code):
                rest = code[match.end() :]
                cut = SEPARATORS.search(rest)
                found.append(Mention(path, number, rest[: cut.start()] if cut else rest))
    return found


def tokens(text: str) -> list[str]:
    text = text.replace("\\|", "|")
    try:
        words = shlex.split(text)
    except ValueError:  # a quote that belongs to the sentence around the command
        words = text.split()
    return [w.strip("'\".,:") for w in words if w.strip("'\".,:")]


def is_placeholder(word: str) -> bool:
    return word.isupper() or word.startswith("...") or not re.match(r"^[a-z][a-z-]*$", word)


def check_mention(mention: Mention) -> list[str]:
    """Problems with one mention: an unknown command, subcommand or option."""
    root = root_command()
    words = tokens(mention.text)
    command: click.Command = root
    path: list[str] = []
    allowed = option_names(root)
    problems = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("-"):
            name = word.split("=", 1)[0]
            if name not in allowed:
                problems.append(
                    f"{mention.where()}: no option {name} for '{' '.join(['vp-desk', *path])}'"
                )
            elif "=" not in word and takes_value(command, name):
                i += 1
            i += 1
            continue
        if isinstance(command, click.Group):
            if is_placeholder(word):
                break
            sub = subcommands(command).get(word)
            if sub is None:
                problems.append(
                    f"{mention.where()}: no command 'vp-desk {' '.join(path + [word])}'"
                )
                break
            command, path = sub, path + [word]
            # Options typed before the command stay valid after it (common options).
            allowed = option_names(command) | option_names(root)
        i += 1
    return problems


def test_the_docs_mention_commands_at_all():
    found = {m.text.split()[0] for m in mentions() if m.text.split()}
    # Sanity: the scanner sees the commands the docs are built around.
    assert {
        "demo",
        "report",
        "hours",
        "backup",
        "restore",
        "handover",
        "retention",
        "case",
        "verify",
        "import",
        "org",
        "passwd",
        "init",
    } <= found


def test_every_documented_command_and_option_exists():
    problems = [p for m in mentions() for p in check_mention(m)]
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_wrong_command_and_a_wrong_option(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(
        "Run `vp-desk reprot X` and `vp-desk report X --yaer 2025` and "
        "`vp-desk handover exprt X`.\n",
        encoding="utf-8",
    )
    found = [
        Mention(bad, n, code[m.end() :])
        for n, code in code_pieces(bad)
        for m in VP_DESK.finditer(code)
    ]
    problems = [p for m in found for p in check_mention(m)]
    assert len(problems) == 3
    assert "reprot" in problems[0] and "--yaer" in problems[1] and "exprt" in problems[2]


# -- help texts ---------------------------------------------------------------------------------


def test_every_command_has_help_and_every_option_a_help_string():
    missing = []
    for path, command in walk(root_command()):
        name = "vp-desk " + " ".join(path)
        if not (command.help or "").strip():
            missing.append(f"{name}: no help text")
        if path and not command.get_short_help_str(limit=80).strip():
            missing.append(f"{name}: no short help in the command list")
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{name} {param.opts[0]}: no help string")
    assert not missing, "\n".join(missing)


def test_help_runs_for_every_command():
    from click.testing import CliRunner

    runner = CliRunner()
    for path, _command in walk(root_command()):
        result = runner.invoke(root_command(), [*path, "--help"], prog_name="vp-desk")
        assert result.exit_code == 0, (path, result.output)
        assert "Usage: vp-desk" in result.output


def test_the_command_reference_names_every_command_and_option():
    common = option_names(root_command())
    missing = []
    for page in REFERENCE_PAGES:
        text = page.read_text(encoding="utf-8")
        for path, command in walk(root_command()):
            if isinstance(command, click.Group) and path:
                continue  # its subcommands are listed one by one
            name = " ".join(("vp-desk",) + path)
            if f"`{name}" not in text:
                missing.append(f"{rel(page)}: {name}")
            for option in option_names(command) - common - {"-h", "--help"}:
                if option not in text:
                    missing.append(f"{rel(page)}: {name} {option}")
        for option in common - {"-h"}:
            if option not in text:
                missing.append(f"{rel(page)}: {option}")
    assert not missing, "\n".join(missing)


# -- links ----------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = heading.strip().lower()
    text = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    for _number, line, in_block in doc_lines(path):
        if not in_block and line.startswith("#"):
            base = slug(line.lstrip("#"))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def links(path: Path):
    for number, line, in_block in doc_lines(path):
        if not in_block:
            for match in LINK.finditer(CODE_SPAN.sub("", line)):
                yield number, match.group(1)


def test_relative_links_point_to_existing_files_and_headings():
    broken = []
    checked = 0
    for path in doc_files():
        for number, target in links(path):
            if re.match(r"^[a-z]+:", target):
                continue  # http:, https:, mailto:
            file_part, _, anchor = target.partition("#")
            dest = (path.parent / file_part).resolve() if file_part else path
            checked += 1
            if not dest.exists():
                broken.append(f"{rel(path)}:{number}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                broken.append(f"{rel(path)}:{number}: {target} (no such heading)")
    assert checked > 100  # the scanner found the links
    assert not broken, "\n".join(broken)


def test_every_doc_page_is_reachable_from_the_readme():
    seen, todo = set(), [ROOT / "README.md"]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for _number, target in links(page):
            file_part = target.partition("#")[0]
            if file_part and not re.match(r"^[a-z]+:", file_part):
                dest = (page.parent / file_part).resolve()
                if dest.suffix == ".md" and dest.is_file() and "examples" not in dest.parts:
                    todo.append(dest)
    pages = {p.resolve() for p in doc_files() if "examples" not in p.parts}
    assert not pages - seen, sorted(rel(p) for p in pages - seen)


# -- the worked example ---------------------------------------------------------------------------


def load_examples_module():
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "docs" / "examples" / "make_examples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    examples = load_examples_module()
    folder = tmp_path_factory.mktemp("docs-demo") / "demo"
    examples.build_demo(folder)
    return folder


def test_example_reports_are_what_the_program_writes(demo_folder):
    examples = load_examples_module()
    generated = examples.generate(demo_folder)
    stale = [
        name
        for name, text in generated.items()
        if examples.comparable(text)
        != examples.comparable((ROOT / "docs" / "examples" / name).read_text(encoding="utf-8"))
    ]
    assert not stale, (
        f"{stale} differ from what vp-desk writes now; run "
        "'python docs/examples/make_examples.py' and check the docs that quote them"
    )


def quoted_examples():
    """(doc, line, example file, quoted lines) for every '<!-- example: FILE -->' block."""
    marker = re.compile(r"^<!--\s*example:\s*(\S+)\s*-->$")
    for path in doc_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            found = marker.match(line.strip())
            if found:
                block = []
                for quoted in lines[i + 1 :]:
                    if not quoted.strip():
                        break
                    block.append(quoted)
                yield path, i + 1, found.group(1), block


def test_quoted_report_lines_appear_in_the_example_reports():
    problems, count = [], 0
    for path, number, name, block in quoted_examples():
        count += 1
        example = (ROOT / "docs" / "examples" / name).read_text(encoding="utf-8").splitlines()
        position = 0
        for quoted in block:  # in this order, gaps allowed (a table's header, then rows)
            try:
                position = example.index(quoted, position) + 1
            except ValueError:
                problems.append(f"{rel(path)}:{number}: '{quoted}' is not in {name}")
                break
    assert count >= 8
    assert not problems, "\n".join(problems)


def test_true_counts_of_the_worked_example(demo_folder):
    """The 'true' columns of the worked example are the demo data's real counts."""
    from vp_desk.reports.aggregate import aggregate
    from vp_desk.services.desk import Desk

    examples = load_examples_module()
    with Desk.open(demo_folder, examples.PASSPHRASE) as desk:
        orgs = {o.name: o for o in desk.organisations()}
        zorg = aggregate(desk.conn(orgs["Demo Zorggroep Midden"].id), 2025)
        bakkerij = aggregate(desk.conn(orgs["Demo Bakkerij Klein"].id), 2025)
    nonzero = {t: {c: n for c, n in v.items() if n} for t, v in zorg.tables.items()}
    assert zorg.new_cases == 10 and zorg.open_at_year_end == 2
    assert nonzero["relation"] == {"manager": 4, "colleague": 5, "group": 1}
    assert nonzero["contact_role"] == {"affected": 8, "witness": 1, "manager_advice": 1}
    assert list(zorg.quarters.values()) == [2, 2, 3, 3]
    assert bakkerij.new_cases == 2


# -- a promise of the docs ------------------------------------------------------------------------


def test_data_dir_before_the_command_wins_over_vp_desk_home(tmp_path):
    """docs: "--data-dir wins over VP_DESK_HOME", also when typed before the command."""
    from vp_desk.services.desk import Desk

    chosen, other = tmp_path / "chosen", tmp_path / "other"
    Desk.create(chosen, PASSPHRASE).close()
    result = run_cli("--data-dir", str(chosen), "org", "list", env={"VP_DESK_HOME": str(other)})
    assert result.returncode == 0, result.stderr
    assert "No organisations yet" in result.stdout
    assert not other.exists()


def test_bad_input_to_a_command_is_a_sentence_not_a_message_code(desk, data_dir):
    """docs (troubleshooting): a problem is told in a plain sentence, never a code."""
    desk.close()
    result = run_cli("org", "add", "Klein BV", "--threshold", "2", data_dir=data_dir)
    assert result.returncode == 2
    assert "The threshold is at least 3." in result.stderr
    assert "threshold_min" not in result.stderr and "Traceback" not in result.stderr
    result = run_cli(
        "--lang", "nl", "org", "add", "Klein BV", "--retention-months", "700", data_dir=data_dir
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Ongeldige invoer. retention_months: ongeldige waarde. Er is niets gewijzigd."
    )
