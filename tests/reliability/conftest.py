"""Helpers for the fault tests: a cache of real Argon2id results.

The crash and tamper matrices unlock a data folder hundreds of times. Each
unlock runs the real Argon2id the first time a (salt, parameters, passphrase)
combination is seen; repeats reuse that real result, so the matrices run in
seconds without weakening or faking the KDF.
"""

from __future__ import annotations

import functools

import pytest

from vp_desk.vault import keyfile


@pytest.fixture
def cached_kdf(monkeypatch):
    real = keyfile.KdfParams.derive

    @functools.lru_cache(maxsize=64)
    def _derive(params: keyfile.KdfParams, passphrase: str) -> bytes:
        return real(params, passphrase)

    def derive(self, passphrase):
        self.check_bounds()
        return _derive(self, passphrase)

    monkeypatch.setattr(keyfile.KdfParams, "derive", derive)
    return _derive
