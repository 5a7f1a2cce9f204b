"""Make the example reports of the documentation (docs/examples/*.md).

Builds the demo data folder (synthetic data, ``vp-desk demo``'s preset) with a
fixed "today" in a temporary folder and runs the real command line on it:

    vp-desk report "Demo Zorggroep Midden" --year 2025 --format md --final   (Dutch, English)
    vp-desk report "Demo Bakkerij Klein" --year 2025 --format md --final     (a small one)
    vp-desk hours "Demo Bakkerij Klein" --from 2026-10-01 --to 2026-10-31

    python docs/examples/make_examples.py

tests/test_docs.py runs ``generate`` again and checks that the files here
still match what the program writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 23)
PASSPHRASE = "vertrouwelijk-demo"

#: file name -> the vp-desk arguments that make it
EXAMPLES: dict[str, list[str]] = {
    "report-zorggroep-2025.nl.md": [
        "--lang",
        "nl",
        "report",
        "Demo Zorggroep Midden",
        "--year",
        "2025",
        "--format",
        "md",
        "--final",
    ],
    "report-zorggroep-2025.en.md": [
        "--lang",
        "en",
        "report",
        "Demo Zorggroep Midden",
        "--year",
        "2025",
        "--format",
        "md",
        "--final",
    ],
    "report-bakkerij-2025.nl.md": [
        "--lang",
        "nl",
        "report",
        "Demo Bakkerij Klein",
        "--year",
        "2025",
        "--format",
        "md",
        "--final",
    ],
    "hours-bakkerij-2026-10.nl.md": [
        "--lang",
        "nl",
        "hours",
        "Demo Bakkerij Klein",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
    ],
}

#: Lines that carry the day the file was made: left out of the comparison.
DATED = ("*Opgesteld op ", "*Drawn up on ")


def comparable(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(DATED))


def build_demo(folder: Path) -> None:
    os.environ.setdefault("VP_DESK_KDF", "minimum")
    from vp_desk.services import synthetic

    synthetic.ensure_demo_folder(folder, today=TODAY)


def run(folder: Path, args: list[str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_PASSPHRASE=PASSPHRASE, VP_DESK_KDF="minimum")
    result = subprocess.run(
        [sys.executable, "-m", "vp_desk", "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"vp-desk {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def generate(folder: Path | None = None) -> dict[str, str]:
    """Every example as the program writes it today (file name -> text)."""
    with tempfile.TemporaryDirectory(prefix="vp_desk-examples-") as tmp:
        folder = folder or Path(tmp) / "demo"
        if not (folder / "keyfile.json").exists():
            build_demo(folder)
        return {name: run(folder, args) for name, args in EXAMPLES.items()}


def main() -> int:
    for name, text in generate().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
