"""What a crash can leave behind, and files others can read.

Cleaned at every open (``clean_at_open``): the private staging folders of a
hand-over (``.handover-*``) and of older backup versions (``.backup-*``) inside
the data folder, and the sealed temp file of an interrupted backup beside its
target. Named by ``vp-desk verify`` (``findings``): whatever of those could
not be removed, vault files without a key, and a data folder or file that
other users may read. See docs/threat-model.md.
"""

from __future__ import annotations

import glob
import re
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from vp_desk.i18n import Text, lookup, message, register
from vp_desk.vault.layout import CURRENT, INDEX_FILE, ORG_PREFIX, PREVIOUS

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

#: Staging folders inside the data folder, removed at open.
STAGING_PREFIXES = (".handover-", ".backup-")
_ORG_FILE = re.compile(rf"^{ORG_PREFIX}([0-9a-f]{{16}})\.db$")
_SIDE_FILES = ("-wal", "-shm", "-journal")


def staging_folders(folder: Path) -> list[Path]:
    """Staging folders inside the data folder, and the temp folder of an
    interrupted restore beside it (``.<name>.restore-*``)."""
    found: list[Path] = []
    try:
        found += [p for p in folder.iterdir() if p.name.startswith(STAGING_PREFIXES)]
    except OSError:
        pass
    try:
        found += folder.parent.glob(f".{glob.escape(folder.name)}.restore-*")
    except OSError:
        pass
    return sorted(found)


def clean_at_open(desk: Desk) -> None:
    """Remove crash leftovers; never raises (an open must not fail on this)."""
    from vp_desk.services import backup

    for path in staging_folders(desk.vault.path):
        shutil.rmtree(path, ignore_errors=True)
    try:
        backup.remove_partial_archives(desk)
    except Exception:  # pragma: no cover - a damaged index is reported elsewhere
        pass
    try:
        from vp_desk.services.handover import finish_interrupted_import

        finish_interrupted_import(desk)
    except Exception:  # pragma: no cover - named by verify ("a key but no organisation")
        pass


def keyless_vault_files(desk: Desk) -> list[Path]:
    """Organisation vault files whose key is not in the key file."""
    keys = set(desk.vault.ring.keys)
    found = []
    try:
        entries = sorted(desk.vault.path.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _ORG_FILE.match(path.name)
        if match and match.group(1) not in keys:
            found.append(path)
    return found


def readable_by_others(folder: Path) -> list[Path]:
    """The data folder itself and the files in it that group or others may read,
    write or enter."""
    found = []
    try:
        if folder.stat().st_mode & 0o077:
            found.append(folder)
        for path in sorted(folder.iterdir()):
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or path.name == ".lock":  # the lock file holds nothing
                continue
            if mode & 0o077:
                found.append(path)
    except OSError:
        return found
    return found


#: The sentences of this module (vp_desk/i18n.py).
TEXTS: dict[str, tuple[Text, Text]] = {
    "loose": (
        "Waarschuwing: andere gebruikers van deze computer kunnen {names}{tail} lezen; maak "
        "de gegevensmap alleen voor jezelf toegankelijk (chmod -R go-rwx {folder}).",
        "Warning: other users of this computer can read {names}{tail}; make the data folder "
        "private (chmod -R go-rwx {folder}).",
    ),
    "more": (" en nog {count}", " and {count} more"),
    "foreign": (
        "De map {folder} is niet leeg en is geen vp_desk-gegevensmap. Kies een lege of nieuwe "
        "map; er is niets gewijzigd.",
        "The folder {folder} is not empty and is not a vp_desk data folder. Choose an empty "
        "or new folder; nothing was changed.",
    ),
}
register("vp_desk.services.leftovers", TEXTS)


def permission_warning(folder: Path, lang: str = "en") -> str | None:
    """One sentence for the open, or None when only the owner can read the folder."""
    loose = readable_by_others(folder)
    if not loose:
        return None
    names = ", ".join(p.name if p != folder else str(folder) for p in loose[:3])
    more = len(loose) - 3
    tail = lookup(TEXTS, "more", lang, count=more) if more > 0 else ""
    return lookup(TEXTS, "loose", lang, names=names, tail=tail, folder=folder)


def findings(desk: Desk) -> list[str]:
    """Problems for ``vp-desk verify``: leftovers, loose permissions and any
    schema object the migrations do not make."""
    from vp_desk.services import backup

    problems = schema_findings(desk)
    for path in staging_folders(desk.vault.path):
        problems.append(message("leftover_staging", path=path))
    try:
        partial = backup.partial_archives(desk)
    except Exception:  # pragma: no cover - a damaged index is reported elsewhere
        partial = []
    for path in partial:
        problems.append(message("leftover_archive", path=path))
    for path in keyless_vault_files(desk):
        problems.append(message("leftover_keyless", name=path.name))
    for path in readable_by_others(desk.vault.path):
        problems.append(message("loose_permissions", path=path))
    return problems


def schema_findings(desk: Desk) -> list[str]:
    """Every vault's schema against the one this install's migrations make:
    a planted trigger, view, table or index is named."""
    from vp_desk.errors import DamagedFile
    from vp_desk.services.handover import schema_problems
    from vp_desk.vault.sqlcipher import DatabaseError

    index = message("part_index")
    problems: list[str] = [
        message("verify_in_part", part=index, problem=p)
        for p in schema_problems(desk.index, "index")
    ]
    for org in desk.organisations():
        part = message("part_org", number=org.id)
        try:
            problems += [
                message("verify_in_part", part=part, problem=p)
                for p in schema_problems(desk.vault.org(org.vault_id))
            ]
        except (DamagedFile, DatabaseError):
            pass  # named by the integrity check
    return problems


#: Names a vp_desk data folder may hold before its key file exists.
_SETUP_NAMES = {".lock", INDEX_FILE, CURRENT, PREVIOUS} | {INDEX_FILE + s for s in _SIDE_FILES}


def is_foreign_folder(folder: Path) -> bool:
    """A folder that exists, holds something, and is not a vp_desk data folder."""
    try:
        names = [p.name for p in folder.iterdir()]
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return True
    for name in names:
        if name in _SETUP_NAMES or name.startswith(STAGING_PREFIXES):
            continue
        base = name
        for suffix in _SIDE_FILES:
            base = base.removesuffix(suffix)
        if _ORG_FILE.match(base):
            continue
        return True
    return False


def refuse_foreign_folder(folder: Path, lang: str = "en") -> None:
    """UsageError when ``folder`` holds files of something else: a new data
    folder is never mixed into it, nor its permissions changed."""
    from vp_desk.errors import UsageError

    if not is_foreign_folder(folder):
        return
    raise UsageError(lookup(TEXTS, "foreign", lang, folder=folder))
