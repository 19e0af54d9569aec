from __future__ import annotations

from casework.services import passwords


def test_production_hashing_is_argon2id_above_the_owasp_minimum(cheap_argon2):
    parameters = cheap_argon2
    # OWASP Password Storage Cheat Sheet: argon2id, at least 19 MiB memory and 2 passes.
    assert parameters.type.name == "ID"
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2


def test_hashes_verify_and_wrong_or_missing_hashes_do_not():
    stored = passwords.hash_passphrase("tangerine harbour bicycle")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_passphrase(stored, "tangerine harbour bicycle")
    assert not passwords.verify_passphrase(stored, "tangerine harbour bicycles")
    assert not passwords.verify_passphrase(None, "tangerine harbour bicycle")
    assert not passwords.verify_passphrase("not a hash", "tangerine harbour bicycle")
