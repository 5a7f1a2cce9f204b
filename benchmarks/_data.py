"""The synthetic data folders the benchmarks measure, built once and cached.

Building the "practice" preset (20 organisations, 50,000 cases) takes a while,
so it is built once into a cache folder and reused by every benchmark and
every later run. The cache is keyed by preset, KDF strength, the vp_desk
version and a fingerprint of the generator and the schema: change any of them
and the folder is built again. Benchmarks never touch the cached folder
itself; ``working_copy`` gives each one a private copy.

The cache lives in ``VP_BENCH_CACHE`` if set, else in the user cache folder
(``~/.cache/vp_desk-bench`` on Linux). It holds synthetic data only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import vp_desk
from vp_desk.services import synthetic
from vp_desk.vault import migrations
from vp_desk.vault.keyfile import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams

PASSPHRASE = "benchmark passphrase of some length"
KDF_MODES = ("default", "minimum")
_META = "bench.json"
_SKIP = {".lock"}


def cache_root() -> Path:
    env = os.environ.get("VP_BENCH_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("vp_desk-bench", appauthor=False))


def kdf_mode() -> str:
    """ "minimum" when VP_DESK_KDF=minimum (tests, --quick), else "default"."""
    return "minimum" if os.environ.get("VP_DESK_KDF", "").lower() == "minimum" else "default"


def _kdf(mode: str) -> KdfParams:
    if mode == "minimum":
        return KdfParams.new(MIN_MEMORY_KIB, MIN_ITERATIONS)
    return KdfParams.new()


def fingerprint() -> str:
    """Changes whenever the generator, the schema or the version change."""
    digest = hashlib.sha256(vp_desk.__version__.encode())
    for module in (synthetic, migrations):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def cached_folder(preset: str, mode: str | None = None, *, log=print) -> tuple[Path, dict]:
    """The cached data folder of ``preset`` (built now if missing) and its metadata.

    The metadata holds the build's ``today`` and the ``BuildSummary`` fields.
    """
    mode = mode or kdf_mode()
    if preset not in synthetic.PRESETS:
        raise SystemExit(f"unknown preset {preset!r}; choose one of {', '.join(synthetic.PRESETS)}")
    root = cache_root()
    folder = root / f"{preset}-{mode}-{fingerprint()}"
    meta_path = folder / _META
    if meta_path.exists():
        return folder / "data", json.loads(meta_path.read_text())
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(f"{preset}-{mode}-*"):
        shutil.rmtree(stale, ignore_errors=True)  # built by an older generator or schema
    for stale in root.glob(".*-building-*"):
        if time.time() - stale.stat().st_mtime > 6 * 3600:  # an interrupted build
            shutil.rmtree(stale, ignore_errors=True)
    building = Path(tempfile.mkdtemp(prefix=f".{preset}-building-", dir=root))
    from vp_desk.services.desk import Desk

    log(f"building the '{preset}' data folder once (cached in {folder}) ...")
    today = date.today()
    try:
        with Desk.create(building / "data", PASSPHRASE, _kdf(mode)) as desk:
            summary = synthetic.build(desk, preset, today=today)
        meta = {
            "preset": preset,
            "kdf": mode,
            "today": today.isoformat(),
            "organisations": summary.organisations,
            "cases": summary.cases,
            "consultations": summary.consultations,
            "activities": summary.activities,
            "build_seconds": round(summary.seconds, 2),
            "built": time.time(),
        }
        (building / _META).write_text(json.dumps(meta, indent=1))
        building.rename(folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    log(
        f"  built in {summary.seconds:.1f} s: {summary.organisations} organisations, "
        f"{summary.cases:,} cases, {summary.consultations:,} contact moments"
    )
    return folder / "data", meta


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).iterdir() if p.is_file())


@contextmanager
def working_copy(preset: str, mode: str | None = None, *, log=print) -> Iterator[tuple[Path, dict]]:
    """A private copy of the cached folder, removed afterwards."""
    source, meta = cached_folder(preset, mode, log=log)
    with tempfile.TemporaryDirectory(prefix="vp-bench-") as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(source, target, ignore=lambda _d, names: [n for n in names if n in _SKIP])
        yield target, meta
