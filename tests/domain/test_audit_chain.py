"""The audit chain's links: keyed events, events from before the key, and keys retired in turn."""

from __future__ import annotations

from datetime import UTC, datetime

from casework.domain.audit_chain import GENESIS, ChainedContent, ChainWalk, Keyring, Link, audit_key, chain_hash

OLD, NEW = audit_key("o" * 40), audit_key("n" * 40)


def _content(sequence: int, action: str = "user.changed") -> ChainedContent:
    return ChainedContent(
        sequence=sequence,
        occurred_at=datetime(2026, 11, 24, 10, sequence, tzinfo=UTC),
        actor_id=1,
        action=action,
        team_id=1,
        case_id=None,
        subject_user_id=2,
        detail={"fields": ["email"]},
    )


def _chain(*keys) -> list[Link]:
    """One event per entry of `keys`, each signed with that key (None: plain, from before the key)."""
    links, previous = [], GENESIS
    for sequence, key in enumerate(keys, start=1):
        content = _content(sequence)
        digest = chain_hash(content, previous, key)
        links.append(Link(content, key.key_id if key else None, previous, digest))
        previous = digest
    return links


ROTATED = Keyring(current=NEW, retired=(OLD,))


def _first_break(links: list[Link], keyring: Keyring = ROTATED):
    broken = ChainWalk(keyring).check(links)
    return broken.sequence if broken else None


def test_a_chain_from_plain_through_a_retired_key_to_the_current_one_verifies():
    assert _first_break(_chain(None, None, OLD, OLD, NEW, NEW)) is None


def test_an_altered_event_is_named():
    links = _chain(NEW, NEW, NEW, NEW)
    links[2] = Link(_content(3, "user.created"), links[2].key_id, links[2].previous_hash, links[2].hash)
    assert _first_break(links) == 3


def test_a_deleted_event_is_named():
    links = _chain(NEW, NEW, NEW)
    del links[1]
    assert _first_break(links) == 2


def test_a_plain_rehash_of_a_keyed_event_is_named_whether_or_not_it_keeps_its_key_id():
    links = _chain(NEW, NEW, NEW)
    forged = _content(2, "user.created")
    plain = chain_hash(forged, links[1].previous_hash)
    assert _first_break([links[0], Link(forged, NEW.key_id, links[1].previous_hash, plain), links[2]]) == 2
    assert _first_break([links[0], Link(forged, None, links[1].previous_hash, plain), links[2]]) == 2


def test_a_retired_key_cannot_sign_events_after_the_current_one_took_over():
    assert _first_break(_chain(OLD, NEW, OLD)) == 3


def test_an_event_under_a_key_not_held_here_is_named():
    assert _first_break(_chain(NEW, NEW), Keyring(current=OLD)) == 1


def test_the_key_id_does_not_reveal_the_key():
    assert NEW.key_id not in NEW.secret.decode() and len(NEW.key_id) == 16
    assert "n" * 40 not in repr(NEW)
