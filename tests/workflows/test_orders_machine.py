"""A hypothesis state machine over the order workflows on the Bitrix fake: orders checked out by
random members through the order guard (amounts around the company's threshold and the buyer's
``UF_ORDER_LIMIT``, the company sometimes blocked by its credit status), status changes of
random orders by random people as the site's status log records them (owners, buyers,
accountants, viewers, the order's author, managers with and without the override group, the
store's staff, agents), one-click decisions from the approval mails applied as the ``/approvals``
page applies them, comments from both sides (some internal), role changes through the cabinet's
check, time passing (reminders, escalations, links expiring), the daemon polling and delivering,
and the daemon killed — between steps, after a poll before its delivery, after the status log
was read before the moves were made, after the moves were made before they were recorded,
after a delivery was made before it was recorded — and started again from its state store.

The oracle judges every status-log row and every comment when the daemon reads it, by the site
as it is then — the rights as the service can know them: a role changed between a decision and
the poll that reads it counts as changed — and says which notifications the rules call for, by
their dedup keys (``<type>:order:<id>:<fact>:<user>``, ``B2B_ORDER_COMMENT:comment:<row>:<user>``).
A cancelled order is out of the approval workflow (its status changes are plain ones). After a
poll, a row someone else made that the service took for the trace of one of its moves (a manager
putting the order back before b2bsync reverted it) is checked to be one the move called for, and
is news to nobody.

After every poll:

- every company keeps at least one active owner;
- no unauthorised decision survives: an order whose last move out of the pending status was
  made by someone without the right is pending again; an order out of the pending status left
  it by an entitled person's hand; an approved order went on to the next status, a rejected one
  is cancelled with its reason; each of b2bsync's own status changes answers the last decision
  before it (a revert an unauthorised change, a move on an approval).

After every step:

- an internal comment reaches nobody on the buyer's side (any member of the company, the order's
  author) by any channel: no mail, no bell row, no outbox row carrying its text or its key;
- nothing is delivered twice and nothing the rules do not call for: no two mails with one dedup
  key, no two bell rows with one key, each to the user its key names; every order notification
  delivered (created, approval required, reminded, escalated, approved, rejected, status
  changed, comment) is one the oracle expects — a reminder and an escalation once per pending
  episode, which a revert does not restart.

After ``settle`` (the daemon catching up: polls until its own moves are read back, then
delivers): every notification the oracle expects was delivered, by mail and to the bell.

``B2BSYNC_MACHINE_EXAMPLES`` raises the number of runs (``make machines EXAMPLES=500``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from bitrix_client.fake import OrderRefused
from workflows import (
    APPROVE,
    ORDER_EVENTS,
    Act,
    Change,
    Directory,
    Expired,
    LinkInvalid,
    MemberRows,
    ServiceConfig,
    WatchConfig,
    WorkflowError,
    WorkflowService,
    classify,
    decide,
    poll,
    verify_approval_link,
)
from workflows.approval import Change as Decision
from workflows.approval import decide as act_on
from workflows.members import Action
from workflows.roles import Role
from workflows.sweeps import APPROVAL_REMINDERS

from ._orders_oracle import (
    ACTORS,
    AMOUNTS,
    APPROVED,
    BUYER_LIMIT,
    CORE,
    KILLS,
    NEXT,
    PENDING,
    REJECTED,
    REQUIRED_MAIL,
    ROLES,
    STAFF,
    STATUSES,
    THRESHOLDS,
    LogRow,
    OrdersOracle,
    Placed,
    Seat,
)
from .conftest import (
    LINK_SECRET,
    MANAGERS_GROUP,
    CabinetMachine,
    approval_config,
    machine_settings,
)


class OrdersMachine(OrdersOracle, CabinetMachine):
    def __init__(self) -> None:
        super().__init__()
        self.managers: dict[int, int] = {}  # company → its manager (UF_MANAGER_ID)
        self.role_codes: dict[int, str] = {}
        self.run(self.furnish())
        self.service_user = self.cab.service_user
        self.self_approval = False
        self.service = self.start()
        self.run(self.service.poll())  # the watchers start at the newest rows
        self.orders: dict[int, Placed] = {}
        self.blocked = [False, False]
        self.expected: set[str] = set()  # dedup keys of every notification the rules call for
        #: row out of pending → entitled when read (None: the order was cancelled then)
        self.verdicts: dict[int, bool | None] = {}
        self.row_keys: dict[int, set[str]] = {}  # row → the keys it calls for
        self.traces: set[int] = set()  # rows the service took for its own moves' traces
        self.plain: set[int] = set()  # rows read while the order was cancelled
        self.episodes_due: set[str] = set()  # "<order>:<since>:<remind|escalate>" owed so far
        self.read_events = max((r["ID"] for r in self.cab.world.rows("B2bOrderEvents")), default=0)
        self.read_comments = max((r["ID"] for r in self.cab.world.rows("OrderComments")), default=0)
        self.internal: dict[int, tuple[int, str]] = {}  # comment row → (order, text)
        self.counter = 0
        self.clicks = 0
        self.polled = self.settled = False

    # the world ---------------------------------------------------------------------------------
    async def furnish(self) -> None:
        """Each company gets a viewer, company 0 a second owner; company 0's manager is in the
        override group, company 1's is not; approval thresholds and the buyer's own limit."""
        cab = self.cab
        for index in (0, 1):
            await cab.add_person(index, "viewer")
        await cab.add_person(0, "owner")
        self.override_manager = await cab.manager(0, override=True)
        self.plain_manager = await cab.manager(1)
        managers = (self.override_manager, self.plain_manager)
        self.managers = dict(zip(self.companies, managers, strict=True))
        modes = await Directory(cab.bitrix).enum_codes("B2bCompanies", "UF_APPROVAL_MODE")
        over_amount = next(number for number, code in modes.items() if code == "over_amount")
        for company, threshold in zip(self.companies, THRESHOLDS, strict=True):
            fields = {"UF_APPROVAL_MODE": over_amount, "UF_APPROVAL_THRESHOLD": float(threshold)}
            await cab.bitrix.bridge.item_update("B2bCompanies", company, fields)
        rows = MemberRows(cab.bitrix)
        self.role_codes = {number: code for code, number in (await rows.role_ids()).items()}
        buyer = cab.world.row(
            "B2bCompanyUsers", UF_COMPANY_ID=self.companies[0], UF_USER_ID=cab.user(0, "buyer")
        )
        assert buyer is not None
        await cab.bitrix.bridge.item_update(
            "B2bCompanyUsers", buyer["ID"], {"UF_ORDER_LIMIT": float(BUYER_LIMIT)}
        )

    def start(self) -> WorkflowService:
        """A daemon process: everything it knows comes from the state store."""
        approval = approval_config(
            override_groups=frozenset({MANAGERS_GROUP}), self_approval=self.self_approval
        )
        config = ServiceConfig(watch=WatchConfig(approval=approval))
        return WorkflowService(self.cab.service_bitrix, self.store, self.cab.world.now, config)

    def teardown(self) -> None:
        """What the run reached (``--hypothesis-show-statistics``), then the world closed."""
        reached: Counter[str] = Counter()
        for order, rows in self.log().items():
            for row in rows if order in self.orders else []:
                if row.user == self.service_user:
                    reached[f"b2bsync moved {row.old}→{row.new}"] += 1
                elif row.leaves_pending and row.id in self.verdicts:
                    reached[f"out of pending, entitled: {self.verdicts[row.id]}"] += 1
        reached["orders"] = len(self.orders)
        reached["one-click decisions"] = self.clicks
        reached["traces by hand"] = len([r for r in self.traces if r not in self.own_rows()])
        for what, count in sorted(reached.items()):
            event(what, min(count, 5))
        super().teardown()

    def seats(self, company: int) -> dict[int, Seat]:
        """The company's memberships as the site has them now, by user."""
        return {
            r["UF_USER_ID"]: Seat(
                self.role_codes[r["UF_ROLE"]],
                bool(r["UF_ACTIVE"]),
                None if r["UF_ORDER_LIMIT"] is None else Decimal(str(r["UF_ORDER_LIMIT"])),
            )
            for r in self.cab.world.rows("B2bCompanyUsers")
            if r["UF_COMPANY_ID"] == company
        }

    def person(self, company: int, role: str, pick: int) -> int | None:
        found = sorted(u for u, s in self.seats(company).items() if s.role == role)
        return found[pick % len(found)] if found else None

    def actor(self, placed: Placed, who: str, pick: int) -> tuple[bool, int | None]:
        """(found, user) for ``who`` acting on an order of ``placed.company``."""
        if who == "author":
            return True, placed.author
        if who == "override_manager":
            return True, self.override_manager
        if who == "manager":
            return True, self.plain_manager
        if who == "staff":
            return True, STAFF
        if who == "agent":
            return True, None
        user = self.person(placed.company, who, pick)
        return user is not None, user

    def log(self) -> dict[int, list[LogRow]]:
        """The status log by order, oldest first."""
        out: dict[int, list[LogRow]] = defaultdict(list)
        for r in self.cab.world.rows("B2bOrderEvents"):
            out[r["UF_ORDER_ID"]].append(
                LogRow(
                    r["ID"],
                    r["UF_ORDER_ID"],
                    r["UF_OLD_STATUS"] or "",
                    r["UF_NEW_STATUS"] or "",
                    r["UF_USER_ID"],
                    r["UF_REASON"] or "",
                    int(r["UF_CREATED_AT"].timestamp()),
                )
            )
        return out

    def note(self) -> int:
        self.counter += 1
        return self.counter

    # rules: the site -----------------------------------------------------------------------------
    @initialize(self_approval=st.booleans(), amounts=st.tuples(*[st.sampled_from(AMOUNTS)] * 2),
                owners=st.tuples(st.booleans(), st.booleans()))  # fmt: skip
    def opening(
        self, self_approval: bool, amounts: tuple[Decimal, Decimal], owners: tuple[bool, bool]
    ) -> None:
        """The ``[approval]`` rules; an order of each company, by its owner or its buyer."""
        self.self_approval = self_approval
        self.service = self.start()
        for company, (amount, owner) in enumerate(zip(amounts, owners, strict=True)):
            self.check_out(company, Role.owner if owner else Role.buyer, 0, amount)

    @rule(company=st.integers(0, 1), role=st.sampled_from([Role.owner.value, Role.buyer.value]),
          pick=st.integers(0, 3), amount=st.sampled_from(AMOUNTS))  # fmt: skip
    def checkout(self, company: int, role: str, pick: int, amount: Decimal) -> None:
        self.check_out(company, role, pick, amount)

    @rule(company=st.integers(0, 1), role=st.sampled_from(ROLES), pick=st.integers(0, 3),
          amount=st.sampled_from(AMOUNTS))  # fmt: skip
    def checkout_anyone(self, company: int, role: str, pick: int, amount: Decimal) -> None:
        self.check_out(company, role, pick, amount)

    def check_out(self, company: int, role: str, pick: int, amount: Decimal) -> None:
        """``role``'s ``pick``-th member of the company checks a basket out."""
        company_id = self.companies[company]
        user = self.person(company_id, role, pick)
        if user is None:
            return
        seat = self.seats(company_id)[user]
        site = self.cab.world.site
        basket = [{"name": "Перфоратор SDS-plus 800 Вт", "price": float(amount), "quantity": 1}]
        try:
            order = site.place_order(
                user, person_type_id=self.cab.world.shop.legal_type, items=basket
            )
        except OrderRefused as refused:
            refusal = refused.code
        else:
            refusal = ""
        may_order = seat.role in (Role.owner, Role.buyer)
        if not seat.active:  # no member any more: a retail order, not b2bsync's business
            assert not refusal
            assert not self.company_of(order)
            return
        if not may_order:
            assert refusal == "B2BSYNC_ROLE_MAY_NOT_ORDER"
            return
        if self.blocked[company]:
            assert refusal == "B2BSYNC_COMPANY_BLOCKED"
            return
        assert not refusal
        assert self.company_of(order) == str(company_id)
        pending = amount >= THRESHOLDS[company] or (seat.limit is not None and amount > seat.limit)
        assert self.cab.order(order)["statusId"] == (PENDING if pending else NEXT)
        self.orders[order] = Placed(company_id, user)

    @rule(company=st.integers(0, 1), blocked=st.booleans())
    def credit_status(self, company: int, blocked: bool) -> None:
        """1C's credit status, as the credit job writes it: ordering blocked or not."""
        row = {
            "UF_COMPANY_ID": self.companies[company],
            "UF_ORDER_BLOCKED": int(blocked),
            "UF_BLOCK_REASON": "Просроченная задолженность" if blocked else "",
        }
        for outcome in self.run(
            self.cab.bitrix.bridge.upsert_many("B2bCreditStatus", ["UF_COMPANY_ID"], [row])
        ):
            assert not isinstance(outcome, BaseException), outcome
        self.blocked[company] = blocked

    def company_of(self, order: int) -> str:
        values = self.cab.world.site.sale.values_of(order)
        return str(next(v["value"] for v in values if v["code"] == "B2B_COMPANY_ID") or "")

    def own_rows(self) -> set[int]:
        return {r.id for rows in self.log().values() for r in rows if r.user == self.service_user}

    def pending(self) -> list[int]:
        return [o for o in sorted(self.orders) if self.cab.order(o)["statusId"] == PENDING]

    def set_status(self, order: int, who: str, person: int, to: str) -> None:
        """``who`` changes the order's status on the site: the cabinet's buttons, the admin
        panel, an agent — the status log records who."""
        found, user = self.actor(self.orders[order], who, person)
        if not found or self.cab.order(order)["statusId"] == to:
            return  # the sale module logs no change to the same status
        reason = f"Причина {self.note()}" if to == REJECTED else ""
        self.cab.site_status(order, to, user, reason=reason)

    @precondition(lambda self: self.pending())
    @rule(pick=st.integers(0, 99), who=st.sampled_from(["owner", "author", "override_manager"]),
          person=st.integers(0, 3), to=st.sampled_from([APPROVED, REJECTED, NEXT]))  # fmt: skip
    def decide(self, pick: int, who: str, person: int, to: str) -> None:
        """An owner (maybe the author) or the manager allowed to decides a pending order."""
        pending = self.pending()
        self.set_status(pending[pick % len(pending)], who, person, to)

    @precondition(lambda self: self.pending())
    @rule(pick=st.integers(0, 99), who=st.sampled_from(ACTORS), person=st.integers(0, 3),
          to=st.sampled_from(STATUSES))  # fmt: skip
    def meddle(self, pick: int, who: str, person: int, to: str) -> None:
        """Anyone changes a pending order's status."""
        pending = self.pending()
        self.set_status(pending[pick % len(pending)], who, person, to)

    @precondition(lambda self: self.orders)
    @rule(pick=st.integers(0, 99), who=st.sampled_from(ACTORS), person=st.integers(0, 3),
          to=st.sampled_from(STATUSES))  # fmt: skip
    def change_status(self, pick: int, who: str, person: int, to: str) -> None:
        """Anyone changes any order's status."""
        self.set_status(sorted(self.orders)[pick % len(self.orders)], who, person, to)

    @rule(pick=st.integers(0, 99), pending=st.booleans(), reject=st.booleans(),
          twice=st.booleans())  # fmt: skip
    def one_click(self, pick: int, pending: bool, reject: bool, twice: bool) -> None:
        """An owner (or a manager) follows a link of an approval mail and submits the page —
        of an order pending now, or of any mail (used, expired, decided meanwhile)."""
        mails = [m for m in self.cab.mails(REQUIRED_MAIL) if m.fields.get("APPROVE_URL")]
        if pending:
            waiting = {str(o) for o in self.pending()}
            mails = [m for m in mails if m.fields["ORDER_ID"] in waiting] or mails
        if not mails:
            return
        mail = mails[pick % len(mails)]
        url = mail.fields["REJECT_URL" if reject else "APPROVE_URL"]
        first = self.run(self.submit(url))
        self.clicks += first == "decided"
        if twice:
            again = self.run(self.submit(url))
            assert not (first == "decided" and again == "decided"), "a link worked twice"

    async def submit(self, url: str) -> str:
        """``POST /approvals`` step by step (``b2bsync/web/_approvals.py``): the link, unused,
        the order still pending, the link's owner still entitled, a rejection's reason, the
        nonce claimed, the status set in the owner's name from pending (released on failure)."""
        fields: dict[str, str | None] = dict(parse_qsl(urlsplit(url).query))
        now = self.cab.world.now()
        approval = self.service.config.watch.approval
        try:
            link = verify_approval_link(LINK_SECRET, fields, now.timestamp())
        except (Expired, LinkInvalid):
            return "dead"
        if self.store.link_used(link.nonce):
            return "used"
        directory = Directory(self.cab.service_bitrix)
        order = await directory.order(link.order_id)
        if order is None or order.company_id is None:
            return "not_found"
        if order.status != approval.pending or order.canceled:
            return "not_pending"
        members = (await directory.members([order.company_id]))[order.company_id]
        groups = (await directory.groups([link.user_id]))[link.user_id]
        actor = classify(link.user_id, order.user_id, members, groups, approval)
        change = Decision.approve if link.action == APPROVE else Decision.reject
        if act_on(change, actor) is Act.revert:
            return "not_allowed"
        reason = "" if link.action == APPROVE else f"По ссылке: причина {self.note()}"
        if not self.store.claim_link(link.nonce, order.id, link.user_id, link.action, now):
            return "used"
        target = approval.approved if link.action == APPROVE else approval.rejected
        answer = await self.cab.service_bitrix.bridge.order_status_set(
            order.id, target, user_id=link.user_id, reason=reason, from_status=approval.pending
        )
        if not answer.get("CHANGED"):
            self.store.release_link(link.nonce)
            return "not_pending"
        return "decided"

    @precondition(lambda self: self.orders)
    @rule(pick=st.integers(0, 99), who=st.sampled_from(ACTORS[:-1]), person=st.integers(0, 3),
          internal=st.booleans())  # fmt: skip
    def comment(self, pick: int, who: str, person: int, internal: bool) -> None:
        """A comment on an order from either side; an internal one (the managers' flag — also
        tried on a buyer's row) must stay on the store's side."""
        order = sorted(self.orders)[pick % len(self.orders)]
        found, author = self.actor(self.orders[order], who, person)
        if not found or author is None:
            return
        number = self.note()
        text = f"ВНУТР-{number} не показывать клиенту" if internal else f"Комментарий {number}"
        row = self.run(
            self.cab.bitrix.bridge.item_add(
                "OrderComments",
                {
                    "UF_ORDER_ID": order,
                    "UF_USER_ID": author,
                    "UF_TEXT": text,
                    "UF_CREATED_AT": self.cab.world.now().isoformat(),
                    "UF_IS_INTERNAL": int(internal),
                },
            )
        )
        if internal:
            self.internal[row] = (order, text)

    @rule(company=st.integers(0, 1), pick=st.integers(0, 4),
          action=st.sampled_from([Action.role, Action.deactivate, Action.reactivate]),
          role=st.sampled_from(ROLES))  # fmt: skip
    def change_member(self, company: int, pick: int, action: Action, role: str) -> None:
        """The cabinet's employees page: a role changed, someone deactivated or back."""
        rows = self.run(MemberRows(self.cab.bitrix).of_company(self.companies[company]))
        row = sorted(rows, key=lambda r: r.user_id)[pick % len(rows)]
        try:
            write = decide(rows, Change(action, row.company_id, row.user_id, role=role))
        except WorkflowError:
            return
        if write is not None:
            self.run(MemberRows(self.cab.bitrix).write(write, self.cab.world.now()))

    @rule(hours=st.sampled_from([1, 25, 49, 73]))
    def time_passes(self, hours: int) -> None:
        self.cab.world.advance(hours * 3600)
        self.run(self.service.sweep(APPROVAL_REMINDERS))
        self.judge_reminders()

    # rules: the daemon ---------------------------------------------------------------------------
    @rule()
    def poll_and_deliver(self) -> None:
        self.reads(self.service.poll, comments=True, sweeps=True)
        self.run(self.service.deliver())
        self.polled = True

    @rule()
    def settle(self) -> None:
        """The daemon catches up: polls until its own moves are read back, then delivers."""
        for _ in range(3):
            self.reads(self.service.poll, comments=True, sweeps=True)
        self.run(self.service.deliver())
        self.polled = self.settled = True

    @rule(when=st.sampled_from(KILLS))
    def kill(self, when: str) -> None:
        """The daemon dies — between steps, or half-way through one — and starts again from
        its state store."""
        if when == "after_poll":  # the poll's notifications not delivered
            self.reads(self.service.poll, comments=True, sweeps=True)
        elif when == "before_moves":  # the status log read (moves recorded), none made
            watcher = next(w for w in self.service.watchers if w.name == ORDER_EVENTS)
            self.run(self.service.start())
            self.reads(
                lambda: poll(watcher, self.store, self.service.context, self.cab.world.now),
                comments=False,
            )
        elif when == "before_moves_recorded":  # the moves made on the site, not recorded
            finish = self.store.finish_move
            self.store.finish_move = lambda *a, **k: None  # type: ignore[method-assign]
            try:
                self.reads(lambda: self.service.poll(ORDER_EVENTS), comments=False)
            finally:
                self.store.finish_move = finish  # type: ignore[method-assign]
        elif when == "mid_delivery":  # a round of deliveries sent, not recorded
            record = self.store.record
            self.store.record = lambda *a, **k: None  # type: ignore[method-assign]
            try:
                self.run(self.service.deliverer.deliver_due(rounds=1))
            finally:
                self.store.record = record  # type: ignore[method-assign]
        self.service = self.start()

    # invariants ----------------------------------------------------------------------------------
    @precondition(lambda self: self.polled)
    @invariant()
    def after_a_poll(self) -> None:
        self.polled = False
        for company in self.companies:
            assert self.owners(self.seats(company)), f"company {company} has no active owner"
        log = self.log()
        for order in self.orders:
            self.check_decisions(order, log[order])

    def check_decisions(self, order: int, rows: list[LogRow]) -> None:
        now = self.cab.order(order)
        status = now["statusId"]
        for index, row in enumerate(rows):
            if row.user != self.service_user:
                continue
            before = [r for r in rows[:index] if r.leaves_pending]
            verdict = self.verdicts[before[-1].id] if before else None
            if row.new == PENDING:
                assert verdict is False, (f"order {order}: reverted, no unauthorised change", rows)
            else:
                assert (row.old, row.new) == (APPROVED, NEXT), (order, row)
                assert verdict is True, (f"order {order}: moved on, no approval", rows)
                assert before[-1].new == APPROVED, (order, rows)
        if not any(r.new == PENDING for r in rows):
            return  # never pending: no decision to check
        leaving = [r for r in rows if r.leaves_pending]
        last = leaving[-1] if leaving else None
        if last is None or self.verdicts[last.id] is False:
            assert status == PENDING, (f"order {order}: an unauthorised change survived", rows)
            return
        if self.verdicts[last.id] is None:
            return  # the order was cancelled: out of the approval workflow
        since = [r for r in rows if r.id > last.id]
        if any(r.user != self.service_user and r.id not in self.traces for r in since):
            return  # something else happened since: the next decision is judged on its own
        if last.new == REJECTED:
            cancelled = (status, now["canceled"], now["reasonCanceled"])
            assert cancelled == (REJECTED, "Y", last.reason), (order, cancelled, rows)
        elif last.new == APPROVED:
            assert status == NEXT, (f"order {order}: approved but not moved on", rows)

    @invariant()
    def internal_comments_stay_inside(self) -> None:
        users = self.cab.world.site.users
        by_email = {u.email: u.id for u in users.values()}
        mails = self.cab.mails()
        bell = self.cab.bell()
        outbox = list(self.store.notifications.values())
        for row, (order, text) in self.internal.items():
            placed = self.orders[order]
            inside = {*self.seats(placed.company), placed.author}
            mark = f":comment:{row}:"
            for mail in mails:
                if mark in (mail.dedup_key or "") or any(text in v for v in mail.fields.values()):
                    assert by_email[mail.fields["EMAIL_TO"]] not in inside, (text, mail)
            for bell_row in bell:
                carried = (bell_row["UF_DEDUP_KEY"], bell_row["UF_TEXT"], bell_row["UF_LINK"])
                if mark in carried[0] or any(text in (c or "") for c in carried):
                    assert bell_row["UF_USER_ID"] not in inside, (text, bell_row)
            for note in outbox:
                if mark in note.key or any(text in v for v in note.fields.values()):
                    assert note.recipient.user_id not in inside, (text, note)

    @invariant()
    def each_notification_once_and_only_what_the_rules_call_for(self) -> None:
        users = self.cab.world.site.users
        mails = self.cab.mails()
        keys = [m.dedup_key or "" for m in mails]
        assert len(keys) == len(set(keys)), "two mails with one dedup key"
        for mail, key in zip(mails, keys, strict=True):
            assert mail.fields["EMAIL_TO"] == users[int(key.rsplit(":", 1)[1])].email, key
        bell = self.cab.bell()
        rows = [r["UF_DEDUP_KEY"] for r in bell]
        assert len(rows) == len(set(rows)), "two bell rows with one dedup key"
        for bell_row in bell:
            assert bell_row["UF_USER_ID"] == int(bell_row["UF_DEDUP_KEY"].rsplit(":", 1)[1])
        for channel, delivered in (("mail", keys), ("bell", rows)):
            core = {k for k in delivered if k.split(":", 1)[0] in CORE}
            unexpected = core - self.expected
            assert not unexpected, (f"{channel}: not called for", sorted(unexpected))

    @precondition(lambda self: self.settled)
    @invariant()
    def every_expected_notification_was_delivered(self) -> None:
        self.settled = False
        mails = {m.dedup_key for m in self.cab.mails()}
        bell = {r["UF_DEDUP_KEY"] for r in self.cab.bell()}
        assert not self.expected - mails, ("never mailed", sorted(self.expected - mails))
        assert not self.expected - bell, ("never in the bell", sorted(self.expected - bell))


TestOrders = OrdersMachine.TestCase
TestOrders.settings = machine_settings(examples=40, steps=50)
