"""A hypothesis state machine over company users and invites on the Bitrix fake: random cabinet
actions (role changes and deactivations that skip the cabinet's own check, as two tabs racing
or the admin panel do; invite requests), operator changes through the CLI's decision, invitees
accepting (new accounts and existing ones, sometimes twice), the daemon polling, and the daemon
killed and started again from its state store. After every poll:

- every company keeps at least one active owner;
- every issued token was mailed exactly once, and only the newest token of an invite works;
- an invite is accepted at most once, by one user, who is then a member of its company;
- no site user was made twice for one address.
"""

from __future__ import annotations

import hashlib
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from bitrix_client import iso_datetime
from workflows import (
    INVITE_EXPIRY,
    MEMBERS_WATCH,
    Acceptance,
    Change,
    InviteRows,
    MemberRows,
    NewUser,
    ServiceConfig,
    WatchConfig,
    WorkflowError,
    WorkflowService,
    decide,
)
from workflows.members import Action
from workflows.roles import Role

from .conftest import CabinetMachine, machine_settings

ACCEPT = "https://b2b.test/invites/accept"
ROLES = [r.value for r in Role]
EMAILS = ["anna@new.example", "boris@new.example", "vera@new.example"]


class PeopleMachine(CabinetMachine):
    def __init__(self) -> None:
        super().__init__()
        self.config = ServiceConfig(watch=WatchConfig(accept_url=ACCEPT))
        self.service = self.start()
        self.run(self.service.poll())  # the first scan: the snapshot, the invites cursor
        self.accepted: dict[int, int] = {}  # invite → user
        self.made_users: dict[str, int] = {}  # address → users made by the page

    def start(self) -> WorkflowService:
        """A daemon process: everything it knows comes from the state store."""
        return WorkflowService(self.cab.bitrix, self.store, self.cab.world.now, self.config)

    def members(self, company: int) -> list[Any]:
        return self.run(MemberRows(self.cab.bitrix).of_company(company))

    # the site, bypassing the cabinet's check
    @rule(company=st.integers(0, 1), pick=st.integers(0, 3), role=st.sampled_from(ROLES),
          active=st.booleans())  # fmt: skip
    def site_change(self, company: int, pick: int, role: str, active: bool) -> None:
        rows = self.members(self.companies[company])
        row = rows[pick % len(rows)]
        ids = self.run(MemberRows(self.cab.bitrix).role_ids())
        fields = {"UF_ROLE": ids[role], "UF_ACTIVE": int(active)}
        fields["UF_UPDATED_AT"] = iso_datetime(self.cab.world.now())
        self.run(self.cab.bitrix.bridge.item_update("B2bCompanyUsers", row.row_id, fields))

    @rule(company=st.integers(0, 1), pick=st.integers(0, 3),
          action=st.sampled_from([Action.role, Action.deactivate, Action.reactivate]),
          role=st.sampled_from(ROLES))  # fmt: skip
    def operator_change(self, company: int, pick: int, action: Action, role: str) -> None:
        rows = self.members(self.companies[company])
        row = rows[pick % len(rows)]
        try:
            write = decide(rows, Change(action, row.company_id, row.user_id, role=role))
        except WorkflowError:
            return
        if write is not None:
            self.run(MemberRows(self.cab.bitrix).write(write, self.cab.world.now()))

    @rule(company=st.integers(0, 1), email=st.sampled_from(EMAILS), role=st.sampled_from(ROLES))
    def request_invite(self, company: int, email: str, role: str) -> None:
        self.run(
            InviteRows(self.cab.bitrix).add_requested(
                self.companies[company], email, role, None, self.cab.world.now()
            )
        )

    @rule(pick=st.integers(0, 20), twice=st.booleans())
    def accept(self, pick: int, twice: bool) -> None:
        mails = self.cab.mails("B2B_COMPANY_INVITE")
        if not mails:
            return
        mail = mails[pick % len(mails)]
        token = mail.fields["INVITE_URL"].split("token=")[1]
        page = Acceptance(self.cab.bitrix, self.store, user_groups=(6,))
        now = self.cab.world.now()
        email = mail.fields["EMAIL_TO"]
        for _ in range(2 if twice else 1):
            try:
                account = self.run(page.account(email))
                if account is None:
                    done = self.run(page.accept_new(token, NewUser("Имя", "", "secret-1"), now))
                    assert email not in self.made_users, "a second user for one address"
                    self.made_users[email] = done.user_id
                else:
                    done = self.run(page.accept_existing(token, account, now))
            except WorkflowError:
                continue
            assert done.invite.id not in self.accepted, "an invite accepted twice"
            self.accepted[done.invite.id] = done.user_id

    @rule()
    def poll(self) -> None:
        self.run(self.service.poll())
        self.run(self.service.deliver())
        self.polled = True

    @rule()
    def kill(self) -> None:
        self.service = self.start()

    @rule(hours=st.sampled_from([1, 30, 80]))
    def time_passes(self, hours: int) -> None:
        self.cab.world.advance(hours * 3600)
        self.run(self.service.sweep(INVITE_EXPIRY))

    # after a poll
    @precondition(lambda self: getattr(self, "polled", False))
    @invariant()
    def every_company_keeps_an_owner(self) -> None:
        self.polled = False
        self.run(self.service.sweep(MEMBERS_WATCH))  # what a site change right before left
        for company in self.companies:
            owners = [m for m in self.members(company) if m.active and m.role == Role.owner]
            assert owners, f"company {company} has no active owner"

    @invariant()
    def one_mail_per_token_and_only_the_newest_works(self) -> None:
        mails = self.cab.mails("B2B_COMPANY_INVITE")
        hashes = [
            hashlib.sha256(m.fields["INVITE_URL"].split("token=")[1].encode()).hexdigest()
            for m in mails
        ]
        assert len(hashes) == len(set(hashes)), "a token mailed twice"
        rows = {r["ID"]: r for r in self.cab.world.rows("B2bInvites")}
        for mail, hashed in zip(mails, hashes, strict=True):
            invite = int(mail.dedup_key.split(":")[2])
            assert hashed.startswith(mail.dedup_key.split(":")[3])
            assert rows[invite]["UF_TOKEN_HASH"] == hashed, "a mailed token that no longer works"

    @invariant()
    def accepted_once_by_a_member(self) -> None:
        rows = {r["ID"]: r for r in self.cab.world.rows("B2bInvites")}
        for invite, user in self.accepted.items():
            assert rows[invite]["UF_ACCEPTED_USER_ID"] == user
            company = rows[invite]["UF_COMPANY_ID"]
            member = self.cab.world.row("B2bCompanyUsers", UF_COMPANY_ID=company, UF_USER_ID=user)
            assert member is not None
        emails = [u.email for u in self.cab.world.site.users.values()]
        assert len(emails) == len(set(emails)), "two site users with one address"


PeopleMachine.TestCase.settings = machine_settings(examples=10, steps=15)
TestPeople = PeopleMachine.TestCase
