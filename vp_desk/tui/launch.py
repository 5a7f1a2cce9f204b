"""``run_tui``: what a bare ``vp-desk`` (and ``vp-desk demo``) opens."""

from __future__ import annotations

from pathlib import Path


def run_tui(data_dir: Path | None = None, lang: str | None = None) -> None:
    """Open the desk on ``data_dir``: setup on the first run, else the unlock screen.

    The language is the one stored in the data folder once unlocked, else
    ``lang`` (--lang), else the locale's.
    """
    from vp_desk.tui.app import VpDeskApp

    app = VpDeskApp(data_dir, lang)
    try:
        app.run()
    finally:
        # However the app ended, the keys go and the folder lock is released.
        app.shutdown_desk(save_drafts=False)
