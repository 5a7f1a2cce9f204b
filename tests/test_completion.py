"""Shell completion works as docs/en/commands.md and docs/nl/opdrachten.md say."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def test_completion_script_and_candidates_without_touching_the_data_folder(tmp_path: Path):
    folder = tmp_path / "data"
    script = run_cli(data_dir=folder, env={"_VP_DESK_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "_vp_desk_completion" in script.stdout
    words = run_cli(
        data_dir=folder,
        env={"_VP_DESK_COMPLETE": "bash_complete", "COMP_WORDS": "vp-desk ca", "COMP_CWORD": "1"},
    )
    assert words.returncode == 0
    assert "plain,case" in words.stdout.splitlines()
    options = run_cli(
        data_dir=folder,
        env={
            "_VP_DESK_COMPLETE": "bash_complete",
            "COMP_WORDS": "vp-desk report --for",
            "COMP_CWORD": "2",
        },
    )
    assert "plain,--format" in options.stdout.splitlines()
    assert not folder.exists()  # completion never creates or reads the data folder
