"""The invite state machine as a table: every (status, event) pair, allowed or refused with the
reason; and what an accept link may still do."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest

from workflows import AlreadyUsed, Expired, Invite, NotFound, Refused, Revoked, acceptance
from workflows.invites import TRANSITIONS, Event, Status, token_hash, transition

S, E = Status, Event
EXPECTED = {
    (S.requested, E.issue): S.pending,
    (S.requested, E.revoke): S.revoked,
    (S.pending, E.issue): S.pending,
    (S.pending, E.accept): S.accepted,
    (S.pending, E.expire): S.expired,
    (S.pending, E.extend): S.pending,
    (S.pending, E.resend): S.revoked,
    (S.pending, E.revoke): S.revoked,
    (S.expired, E.extend): S.pending,
    (S.expired, E.resend): S.revoked,
    (S.expired, E.revoke): S.revoked,
}
REASONS = {
    S.requested: "not been sent yet",
    S.accepted: "was accepted",
    S.revoked: "revoking is final",
    S.expired: "has expired",
    S.pending: "is pending",
}


def test_the_table_is_exactly_the_design():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("event", list(Event))
def test_every_pair(status: Status, event: Event):
    if (status, event) in EXPECTED:
        assert transition(7, status, event) == EXPECTED[(status, event)]
        return
    with pytest.raises(Refused, match=f"invite 7 cannot be .*: it .*{re.escape(REASONS[status])}"):
        transition(7, status, event)


def test_final_states_allow_nothing():
    for status in (S.accepted, S.revoked):
        assert not [e for (s, e) in EXPECTED if s == status]


def test_an_unknown_status_is_refused():
    with pytest.raises(Refused, match="unknown status 'lost'"):
        transition(3, "lost", Event.revoke)


def test_only_the_hash_of_a_token_is_kept():
    token = "x" * 43
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in token_hash(token)


NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def invite(status: str, expires: timedelta | None = timedelta(hours=1)) -> Invite:
    moment = NOW + expires if expires is not None else None
    return Invite(4, 5, "a@example.ru", "buyer", status, "h" * 64, expires_at=moment)


@pytest.mark.parametrize(
    ("found", "error"),
    [
        (None, NotFound),
        (invite("requested"), NotFound),
        (invite("revoked"), Revoked),
        (invite("accepted"), AlreadyUsed),
        (invite("expired"), Expired),
        (invite("pending", timedelta(0)), Expired),  # the expiry is the last moment it fails
        (invite("pending", timedelta(seconds=-5)), Expired),  # before the sweep saw it
        (invite("mystery"), NotFound),
    ],
    ids=["no row", "requested", "revoked", "accepted", "expired", "at expiry", "past", "unknown"],
)
def test_links_that_accept_nothing(found, error):
    with pytest.raises(error):
        acceptance(found, NOW)


def test_a_pending_link_before_its_expiry_accepts():
    live = invite("pending", timedelta(seconds=1))
    assert acceptance(live, NOW) is live
