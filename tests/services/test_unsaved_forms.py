"""A form posted after its author's session timed out is kept on the ended row, for its author
only, for two hours at most, and deleted as soon as it is offered."""

from __future__ import annotations

from datetime import timedelta

from casework.services import authentication, signed_in_sessions, unsaved_forms
from tests.conftest import NOW, TEST_PASSPHRASE, make_user

NOTE = [("csrf_token", "old"), ("submission_token", "abc"), ("body", "Rang twice; no answer.\nWill try again.")]


def _timed_out(session, user=None):
    user = user or make_user(session)
    token = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW).token
    assert signed_in_sessions.resolve(session, token=token, now=NOW + timedelta(minutes=31)) is None
    return user, token


def test_a_form_posted_after_the_time_out_is_kept_for_its_author_and_handed_over_once(session):
    user, token = _timed_out(session)
    kept_id = unsaved_forms.keep(session, token=token, path="/cases/7/notes", fields=NOTE, now=NOW)
    row = signed_in_sessions.find(session, token=token)
    assert kept_id == row.id
    assert row.kept_fields == [["submission_token", "abc"], ["body", "Rang twice; no answer.\nWill try again."]]
    later = NOW + timedelta(minutes=50)
    assert unsaved_forms.waiting(session, user=user, session_id=kept_id, now=later)
    kept = unsaved_forms.take(session, user=user, session_id=kept_id, now=later)
    assert (kept.path, kept.fields[-1]) == ("/cases/7/notes", ("body", "Rang twice; no answer.\nWill try again."))
    assert (row.kept_path, row.kept_fields, row.kept_at) == (None, None, None)
    assert unsaved_forms.take(session, user=user, session_id=kept_id, now=later) is None


def test_another_person_is_never_handed_it(session):
    author, token = _timed_out(session)
    kept_id = unsaved_forms.keep(session, token=token, path="/cases/7/notes", fields=NOTE, now=NOW)
    someone_else = make_user(session, team=author.team)
    assert not unsaved_forms.waiting(session, user=someone_else, session_id=kept_id, now=NOW)
    assert unsaved_forms.take(session, user=someone_else, session_id=kept_id, now=NOW) is None
    assert signed_in_sessions.find(session, token=token).kept_fields is not None  # still its author's


def test_it_is_deleted_after_two_hours_whether_or_not_anyone_comes_back(session):
    user, token = _timed_out(session)
    kept_id = unsaved_forms.keep(session, token=token, path="/cases/7/notes", fields=NOTE, now=NOW)
    _other, other_token = _timed_out(session)
    unsaved_forms.keep(session, token=other_token, path="/cases/8/notes", fields=NOTE, now=NOW + timedelta(hours=1))
    assert not unsaved_forms.waiting(session, user=user, session_id=kept_id, now=NOW + timedelta(hours=2))
    assert unsaved_forms.forget_expired(session, now=NOW + timedelta(hours=2)) == 1
    assert signed_in_sessions.find(session, token=token).kept_at is None
    assert signed_in_sessions.find(session, token=other_token).kept_at is not None


def test_nothing_is_kept_from_a_live_signed_out_or_unknown_session_nor_beyond_the_size_limit(session):
    user = make_user(session)
    live = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW).token
    assert unsaved_forms.keep(session, token=live, path="/x", fields=NOTE, now=NOW) is None
    authentication.sign_out(session, user=user, token=live, now=NOW)
    assert unsaved_forms.keep(session, token=live, path="/x", fields=NOTE, now=NOW) is None
    assert unsaved_forms.keep(session, token="not-a-token", path="/x", fields=NOTE, now=NOW) is None
    _user, timed_out = _timed_out(session)
    huge = [("body", "x" * (unsaved_forms.MAX_KEPT_CHARACTERS + 1))]
    assert unsaved_forms.keep(session, token=timed_out, path="/x", fields=huge, now=NOW) is None
    assert unsaved_forms.keep(session, token=timed_out, path="/x", fields=[("csrf_token", "t")], now=NOW) is None
