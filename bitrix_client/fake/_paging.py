"""Pages of 50 rows, the way Bitrix REST list methods cut them.

``start`` is read like PHP's ``(int)`` and floored to a multiple of 50. ``start=-1`` (any negative
value) asks for the first page without counting: the answer has neither ``next`` nor ``total``.
Otherwise ``total`` is the number of matching rows, except that a page which is not full reports
``offset + len(page)`` without counting — so past the end the page is ``[]`` and ``total``
equals the offset, as the recordings show. ``next`` is there only when more rows follow.

Usage::

    return paginate(rows, ctx.params.get("start"), lambda page: {"orders": [dump(r) for r in page]})

Stores that keyset pages read (orders, basket items, property values, HL rows) are
:class:`IdTable` objects: dicts that also keep their ids sorted, so a list ordered by id ascending
starts at the bisected ``>id`` position and stops when the page is full (:meth:`IdTable.select`)
instead of filtering and sorting every row on every page.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._api import ListResult
from ._filters import Condition, php_intval

PAGE_SIZE = 50

T = TypeVar("T")
V = TypeVar("V", bound=Mapping[str, Any])


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int | None
    next: int | None


def page_of(rows: Sequence[T], start: object) -> Page[T]:
    """Cut one page out of all matching ``rows`` for the request's ``start`` parameter."""
    offset = php_intval(start) if start is not None else 0
    if offset < 0:
        return Page(list(rows[:PAGE_SIZE]), None, None)
    offset -= offset % PAGE_SIZE
    chunk = list(rows[offset : offset + PAGE_SIZE])
    total = len(rows) if len(chunk) == PAGE_SIZE else offset + len(chunk)
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < total else None
    return Page(chunk, total, following)


def paginate(rows: Sequence[T], start: object, wrap: Callable[[list[T]], Any]) -> ListResult:
    """:func:`page_of`, then ``wrap`` the page's rows into the method's result payload."""
    page = page_of(rows, start)
    return ListResult(wrap(page.rows), page.total, page.next)


def wants_count(start: object) -> bool:
    """Does ``start`` ask for a counted page (``total``/``next``)? A negative one does not."""
    return start is None or php_intval(start) >= 0


class IdTable(dict[int, V]):
    """Rows keyed by their integer id (the row's own id field holds the same number), with the
    ids also kept in a sorted list for range scans.

    Every write goes through ``__setitem__``/``__delitem__`` (the other mutators are routed
    there), so the list never drifts from the keys; a new id above the highest is an append.
    """

    __slots__ = ("_ids",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._ids: list[int] = []
        self.update(*args, **kwargs)

    def __setitem__(self, key: int, value: V) -> None:
        if not dict.__contains__(self, key):
            ids = self._ids
            if not ids or key > ids[-1]:
                ids.append(key)
            else:
                insort(ids, key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: int) -> None:
        dict.__delitem__(self, key)
        ids = self._ids
        del ids[bisect_left(ids, key)]

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (list(self.items()),))

    def __ior__(self, other: Any) -> IdTable[V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: int, default: V = None) -> V:  # type: ignore[assignment]
        if not dict.__contains__(self, key):
            self[key] = default
        return dict.__getitem__(self, key)

    _NO_DEFAULT: Any = object()

    def pop(self, key: int, default: Any = _NO_DEFAULT) -> Any:
        if dict.__contains__(self, key):
            value = dict.__getitem__(self, key)
            del self[key]
            return value
        if default is IdTable._NO_DEFAULT:
            raise KeyError(key)
        return default

    def popitem(self) -> tuple[int, V]:
        if not self:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self))
        return key, self.pop(key)

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def ids(self) -> Sequence[int]:
        """Every id, ascending (a live view: do not modify)."""
        return self._ids

    def select(
        self, conditions: Sequence[Condition], id_field: str, *, limit: int | None = None
    ) -> list[V]:
        """The rows matching every condition, in ascending id order, at most ``limit``.

        Conditions on ``id_field`` with integer values narrow the scan to a range of the sorted
        ids (``>``, ``>=``, ``<``, ``<=``, ``=``, between) or to the listed ids (``@``); every
        condition, those included, is then tested row by row exactly as :func:`apply_filter`
        does, so the answer is the general path's filtered rows in id order.
        """
        tests = [condition.predicate() for condition in conditions]
        get = dict.__getitem__
        out: list[V] = []
        for key in self._candidates(conditions, id_field):
            row = get(self, key)
            if all(test(row) for test in tests):
                out.append(row)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def _candidates(self, conditions: Sequence[Condition], id_field: str) -> Iterable[int]:
        low: int | None = None
        high: int | None = None
        listed: set[int] | None = None
        for condition in conditions:
            if condition.field != id_field:
                continue
            if condition.op == "in" and all(_is_int(v) for v in condition.value):
                wanted = set(condition.value)
                listed = wanted if listed is None else listed & wanted
                continue
            below, above = _id_range(condition)
            if below is not None:
                low = below if low is None else max(low, below)
            if above is not None:
                high = above if high is None else min(high, above)
        if listed is not None:
            return sorted(
                key
                for key in listed
                if dict.__contains__(self, key)
                and (low is None or key >= low)
                and (high is None or key <= high)
            )
        ids = self._ids
        first = 0 if low is None else bisect_left(ids, low)
        stop = len(ids) if high is None else bisect_right(ids, high)
        return map(ids.__getitem__, range(first, stop))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id_range(condition: Condition) -> tuple[int | None, int | None]:
    """The inclusive id bounds a condition on the id implies (``None``: unbounded)."""
    op, value = condition.op, condition.value
    if op == "between" and all(_is_int(v) for v in value):
        return value[0], value[1]
    if not _is_int(value):
        return None, None
    if op == "gt":
        return value + 1, None
    if op == "ge":
        return value, None
    if op == "lt":
        return None, value - 1
    if op == "le":
        return None, value
    if op == "eq":
        return value, value
    return None, None
