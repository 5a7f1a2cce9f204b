"""Child process for the kill -9 loops of test_rekey_kill9.py.

    python -m tests.reliability.rekey_child passwd FOLDER
    python -m tests.reliability.rekey_child shred FOLDER

``passwd`` changes the passphrase back and forth between two; ``shred`` adds a
throw-away organisation with a marked note and shreds it again. Each
acknowledges on stdout what it finished, and runs until it is killed.
"""

from __future__ import annotations

import os
import sys

PASSPHRASES = ("first passphrase of the kill loop", "second passphrase of the kill loop")
KEEP = "Blijvend BV"
MARK = "MARK-kill9-shredded"


def _open(folder: str):
    from vp_desk.errors import WrongPassphrase
    from vp_desk.services.desk import Desk

    for passphrase in PASSPHRASES:
        try:
            return Desk.open(folder, passphrase), passphrase
        except WrongPassphrase:
            continue
    raise SystemExit("neither passphrase opens the folder")


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(mode: str, folder: str) -> None:
    from vp_desk.domain.models import CaseInput, OrganisationInput

    os.environ["VP_DESK_KDF"] = "minimum"
    _say("ready")
    n = 0
    while True:
        n += 1
        desk, passphrase = _open(folder)
        with desk:
            if mode == "passwd":
                other = PASSPHRASES[1 - PASSPHRASES.index(passphrase)]
                desk.change_passphrase(other)
                _say(f"changed {other == PASSPHRASES[1]:d}")
            else:
                org = desk.add_organisation(OrganisationInput(f"Tijdelijk {os.getpid()}-{n}"))
                desk.create_case(
                    org.id, CaseInput(opened="2026-01-02", behaviours=["other"], notes=MARK)
                )
                key = desk.vault.ring.keys[org.vault_id]
                salt = desk.vault.org_path(org.vault_id).read_bytes()[:16]
                _say(f"shredding {key.hex()} {salt.hex()}")
                desk.shred_organisation(org.id)
                _say(f"shredded {key.hex()}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
