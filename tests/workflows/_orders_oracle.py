"""The oracle of the orders state machine (``test_orders_machine.py``): what the approval rules
and the notification rules call for, judged row by row as the daemon reads the status log and
the comments. A mixin of the machine: it reads the machine's world (``cab``, ``store``,
``orders``, ``seats()``, ``log()``) and keeps the expectations the invariants check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflows import ORDER_EVENTS, MoveKind
from workflows._approval_ports import STATUS_MOVES
from workflows.roles import Role

PENDING, APPROVED, REJECTED, NEXT = "PA", "AP", "RJ", "N"
CREATED_MAIL = "B2B_ORDER_CREATED"
REQUIRED_MAIL = "B2B_ORDER_APPROVAL_REQUIRED"
APPROVED_MAIL = "B2B_ORDER_APPROVED"
REJECTED_MAIL = "B2B_ORDER_REJECTED"
CHANGED_MAIL = "B2B_ORDER_STATUS_CHANGED"
COMMENT_MAIL = "B2B_ORDER_COMMENT"
CORE = (CREATED_MAIL, REQUIRED_MAIL, APPROVED_MAIL, REJECTED_MAIL, CHANGED_MAIL, COMMENT_MAIL)
STAFF = 1  # the store's administrator: no member, in no override group
REMIND_AFTER, ESCALATE_AFTER = 24 * 3600, 72 * 3600

ROLES = [r.value for r in Role]
SEES_ORDERS = (Role.owner.value, Role.buyer.value, Role.viewer.value)
#: Who acts on an order: members by role (active or not), the order's author, the managers,
#: the staff, an agent (no user).
ACTORS = [*ROLES, "author", "override_manager", "manager", "staff", "agent"]
STATUSES = [APPROVED, REJECTED, NEXT, "F", PENDING]
KILLS = ["between_steps", "after_poll", "before_moves", "before_moves_recorded", "mid_delivery"]
#: Company 0 asks for approval from 50,000 and its buyer's own limit is 20,000; company 1 from
#: 30,000.
THRESHOLDS = (Decimal("50000"), Decimal("30000"))
BUYER_LIMIT = Decimal("20000")
AMOUNTS = [Decimal(a) for a in ("4500", "19999.99", "20000", "20000.01", "29999.99", "30000",
                                "49999.99", "50000", "125000")]  # fmt: skip


@dataclass(frozen=True)
class Placed:
    company: int
    author: int


@dataclass(frozen=True)
class Seat:
    role: str
    active: bool
    limit: Decimal | None


@dataclass(frozen=True)
class LogRow:
    id: int
    order: int
    old: str
    new: str
    user: int | None
    reason: str
    at: int

    @property
    def leaves_pending(self) -> bool:
        return self.old == PENDING and self.new != PENDING


class OrdersOracle:
    """Judges each status-log row and comment; ``expected`` collects the dedup keys of every
    notification the rules call for."""

    @staticmethod
    def owners(seats: dict[int, Seat]) -> list[int]:
        return sorted(u for u, s in seats.items() if s.active and s.role == Role.owner)

    def approvers(self, author: int, seats: dict[int, Seat]) -> list[int]:
        owners = self.owners(seats)
        others = [u for u in owners if u != author]
        return others if others and not self.self_approval else owners

    def entitled(self, user: int | None, author: int, seats: dict[int, Seat]) -> bool:
        if user is None:
            return False
        return user == self.override_manager or user in self.approvers(author, seats)

    @staticmethod
    def sees(seats: dict[int, Seat], user: int) -> list[int]:
        seat = seats.get(user)
        return [user] if seat is not None and seat.active and seat.role in SEES_ORDERS else []

    def expect(self, kind: str, fact: str, users: list[int], but: int | None = None) -> set[str]:
        keys = {f"{kind}:{fact}:{user}" for user in users if user != but}
        self.expected |= keys
        return keys

    def judge(self, *, comments: bool) -> None:
        """What the rules call for about the rows the coming poll reads, judged by the site as
        it is now — as the service will read it."""
        for rows in self.log().values():
            for row in rows:
                if row.id > self.read_events:
                    self.judge_row(row)
        self.read_events = max((r["ID"] for r in self.cab.world.rows("B2bOrderEvents")), default=0)
        if comments:
            for comment in self.cab.world.rows("OrderComments"):
                if comment["ID"] > self.read_comments:
                    self.judge_comment(comment)
                    self.read_comments = comment["ID"]

    def judge_row(self, row: LogRow) -> None:
        placed = self.orders.get(row.order)
        if placed is None or row.user == self.service_user:
            return
        seats = self.seats(placed.company)
        author, owners = self.sees(seats, placed.author), self.owners(seats)
        fact = f"order:{row.order}"
        keys = self.row_keys.setdefault(row.id, set())
        if not row.old:
            asked = self.approvers(placed.author, seats) if row.new == PENDING else []
            told = [*author, *(u for u in owners if u not in asked)]
            self.expect(CREATED_MAIL, f"{fact}:created", told)
            self.expect(REQUIRED_MAIL, f"{fact}:pending:{row.id}", asked)
        elif self.cab.order(row.order)["canceled"] == "Y":  # out of the approval workflow
            self.plain.add(row.id)
            if row.leaves_pending:
                self.verdicts[row.id] = None
            if row.old != row.new:
                keys |= self.expect(CHANGED_MAIL, f"{fact}:event:{row.id}", author, but=row.user)
        elif row.leaves_pending:
            entitled = self.entitled(row.user, placed.author, seats)
            self.verdicts[row.id] = entitled
            if entitled:
                rejected = row.new == REJECTED
                kind = REJECTED_MAIL if rejected else APPROVED_MAIL
                word = "rejected" if rejected else "approved"
                told = [*author, *owners]
                keys |= self.expect(kind, f"{fact}:{word}:{row.id}", told, but=row.user)
        elif row.new == PENDING:
            asked = self.approvers(placed.author, seats)
            keys |= self.expect(REQUIRED_MAIL, f"{fact}:pending:{row.id}", asked)
        elif row.old != row.new:
            keys |= self.expect(CHANGED_MAIL, f"{fact}:event:{row.id}", author, but=row.user)

    def reconcile(self) -> None:
        """After a poll: the rows the service took for the traces of its own moves — its own
        rows, and a row someone else made that took the order just where the move would (a
        manager putting the order back before b2bsync reverted it) — are news to nobody. Each
        such match must be one the move called for."""
        rows = {r.id: r for found in self.log().values() for r in found}
        for move in self.store.moves.values():
            row = rows.get(move.seen_event or 0)
            if row is None or move.kind not in STATUS_MOVES or row.new != move.to_status:
                continue  # not seen, or closed by a return to pending (which is news)
            if row.id in self.traces:
                continue
            self.traces.add(row.id)
            assert (row.order, row.id > move.cause_event) == (move.order_id, True), (move, row)
            cause = rows[move.cause_event]
            if move.kind == MoveKind.revert:
                assert self.verdicts[cause.id] is False, ("a revert of an entitled change", move)
            else:
                assert self.verdicts[cause.id] is True, ("a move on of no approval", move)
                assert cause.new == APPROVED, move
            if row.user != self.service_user:
                self.expected -= self.row_keys.pop(row.id, set())

    def reads(
        self, work: Callable[[], Awaitable[object]], *, comments: bool, sweeps: bool = False
    ) -> None:
        """The daemon reads the status log (and the comments): judged first, reconciled after;
        with ``sweeps``, the reminders it owes after its reminder sweep."""
        self.judge(comments=comments)
        self.run(work())
        self.reconcile()
        if sweeps:
            self.judge_reminders()

    def judge_reminders(self) -> None:
        """After a reminder sweep: every order pending (not cancelled) for 24 h since its
        episode began — the last row that put it there, neither b2bsync's revert nor a row
        standing for one — owes one reminder to the owners who may decide it then, and after
        72 h one escalation to the company's manager; each once per episode. An order with
        rows the watcher has not read yet owes nothing yet: its episode is not known."""
        now = int(self.cab.world.now().timestamp())
        cursor = self.store.watch_cursor(ORDER_EVENTS) or 0
        log = self.log()
        for order, placed in self.orders.items():
            state = self.cab.order(order)
            rows = log[order]
            if state["statusId"] != PENDING or state["canceled"] == "Y" or rows[-1].id > cursor:
                continue
            starts = [
                r
                for r in rows
                if r.new == PENDING
                and r.user != self.service_user
                and r.id not in self.traces | self.plain
            ]
            since = starts[-1].at
            seats = self.seats(placed.company)
            for kind, after, users in (
                ("remind", REMIND_AFTER, self.approvers(placed.author, seats)),
                ("escalate", ESCALATE_AFTER, [self.managers[placed.company]]),
            ):
                owed = f"{order}:{since}:{kind}"
                if now - since >= after and owed not in self.episodes_due:
                    self.episodes_due.add(owed)
                    self.expect(REQUIRED_MAIL, f"order:{order}:{kind}:{since}", users)

    def judge_comment(self, row: dict[str, Any]) -> None:
        placed = self.orders.get(row["UF_ORDER_ID"])
        if placed is None:
            return
        seats = self.seats(placed.company)
        inside = {u for u, s in seats.items() if s.active}
        writer, internal = row["UF_USER_ID"], bool(row["UF_IS_INTERNAL"])
        manager = self.managers[placed.company]
        if writer in inside or internal:  # to the store's side
            users = [] if internal and manager in inside else [manager]
        else:  # to the buyer's side
            users = [*self.sees(seats, placed.author), *self.owners(seats)]
        self.expect(COMMENT_MAIL, f"comment:{row['ID']}", users, but=writer)
