"""Pages of 50 rows, the way Bitrix REST list methods cut them.

``start`` is read like PHP's ``(int)`` and floored to a multiple of 50. ``start=-1`` (any negative
value) asks for the first page without counting: the answer has neither ``next`` nor ``total``.
Otherwise ``total`` is the number of matching rows, except that a page which is not full reports
``offset + len(page)`` without counting — so past the end the page is ``[]`` and ``total``
equals the offset, as the recordings show. ``next`` is there only when more rows follow.

Usage::

    return paginate(rows, ctx.params.get("start"), lambda page: {"orders": [dump(r) for r in page]})
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._api import ListResult
from ._filters import php_intval

PAGE_SIZE = 50

T = TypeVar("T")


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
