"""One-time form tokens: claimed once, a second claim refused with where the first one's record is."""

from __future__ import annotations

import pytest

from casework.domain.errors import AlreadySent, FieldError
from casework.services import submissions
from tests.conftest import NOW, make_user

TOKEN = "Zq3x8J0c4bVwq1y6mKp2LrT5sN7d"


def test_a_token_is_claimed_once_and_a_second_copy_is_told_where_the_first_one_went(session):
    navigator = make_user(session)
    claimed = submissions.claim(session, token=TOKEN, actor=navigator, now=NOW)
    submissions.saved(claimed, link="/cases/7#notes")
    session.flush()
    with pytest.raises(AlreadySent) as refused:
        submissions.claim(session, token=TOKEN, actor=navigator, now=NOW)
    assert refused.value.link == "/cases/7#notes"
    assert refused.value.message.startswith("This form was already sent")


def test_a_claim_rolled_back_with_a_refused_form_can_be_made_again(session):
    navigator = make_user(session)
    session.commit()
    submissions.claim(session, token=TOKEN, actor=navigator, now=NOW)
    session.rollback()  # the form's own mistake refused it: nothing was saved, the token included
    assert submissions.claim(session, token=TOKEN, actor=navigator, now=NOW).token == TOKEN


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "not a token; drop table"])
def test_a_form_without_a_proper_token_is_sent_back_to_be_sent_again(session, token):
    with pytest.raises(FieldError) as refused:
        submissions.claim(session, token=token, actor=make_user(session), now=NOW)
    assert refused.value.field == "submission_token"
