"""init, passwd, verify."""

from __future__ import annotations

import click

from vp_desk.cli.common import (
    common_options,
    get_new_passphrase,
    guarded,
    open_desk,
    say,
    settings,
)


@click.command()
@common_options
@guarded
def init() -> None:
    """Create a new data folder and key file.

    The passphrase (at least 15 characters, not easy to guess) is asked twice,
    or read from VP_DESK_PASSPHRASE / VP_DESK_PASSPHRASE_FILE / --passphrase-file.
    """
    from vp_desk.errors import UsageError
    from vp_desk.services.desk import Desk
    from vp_desk.services.leftovers import refuse_foreign_folder
    from vp_desk.services.storage import DataFolder

    folder = DataFolder(settings().data_dir)
    if folder.is_initialised():
        raise UsageError(say("folder_exists", path=folder.path))
    refuse_foreign_folder(folder.path, settings().language)
    passphrase = get_new_passphrase(user_inputs=[str(folder.path)])
    with Desk(folder.create(passphrase)):
        pass
    click.echo(say("folder_created", path=folder.path))


@click.command()
@click.option(
    "--new-passphrase-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Read the new passphrase from the first line of this file.",
)
@common_options
@guarded
def passwd(new_passphrase_file: str | None) -> None:
    """Change the passphrase and give every vault a fresh data key.

    Every vault is re-encrypted (a progress bar shows on a terminal), so an
    older key file or backup with the old passphrase opens nothing written
    after the change. Needs free space for one copy of the data folder.
    """
    with open_desk() as desk:
        # The user's own words: zxcvbn counts them as known (issue 11).
        own_words = [o.name for o in desk.organisations()] + [str(desk.vault.path)]
        if new_passphrase_file is None:
            from vp_desk.cli.common import _prompt_hidden
            from vp_desk.errors import UsageError
            from vp_desk.services.passphrase import strength, strength_message

            new = _prompt_hidden(say("prompt_new"))
            if _prompt_hidden(say("prompt_repeat")) != new:
                raise UsageError(say("passphrases_differ"))
            result = strength(new, own_words)
            if not result.ok:
                raise UsageError(
                    " ".join(strength_message(p, settings().language) for p in result.problems)
                )
        else:
            new = get_new_passphrase(new_passphrase_file, user_inputs=own_words)
        _rekey_with_progress(desk, new)
    click.echo(say("passphrase_changed"))


def _rekey_with_progress(desk, new: str) -> None:
    """``Desk.change_passphrase`` with a progress bar on stderr, on a terminal only."""
    import sys

    if not (sys.stderr and sys.stderr.isatty()):
        desk.change_passphrase(new)
        return
    total = len(desk.organisations()) + 1  # every organisation's vault and the index
    with click.progressbar(
        length=total, label=say("reencrypting"), file=sys.stderr, show_pos=True
    ) as bar:
        state = {"done": 0}

        def progress(done: int, _total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        desk.change_passphrase(new, progress)


@click.command()
@common_options
@guarded
def verify() -> None:
    """Check the key file, every vault and the audit trail (exit 1 on damage)."""
    with open_desk() as desk:
        problems = desk.verify()
        count = len(desk.organisations())
    if problems:
        click.echo(say("verify_problems", count=len(problems)), err=True)
        from vp_desk.i18n import in_lang

        for problem in problems:
            click.echo(in_lang(problem, settings().language), err=True)
        raise SystemExit(1)
    click.echo(say("verify_ok", count=count))
