"""Where an interrupted orders pass resumes, kept in the state store.

The orders feed reads ``dateUpdate >= since`` page by page in ascending ID, so a stopped pass
(SIGTERM, Ctrl-C, an error) has confirmed every matching order up to some ID — a point a date
cursor cannot express. :class:`Resume` holds it: the pass's ``since``, the last confirmed order
``after``, and ``floor``, Bitrix's clock when the pass began. The next run finishes the pass
(``since`` with ``>id after``) instead of starting over, then sets the cursor to ``floor``: the
orders read before the stop may have changed since they were read, and every such change has a
``dateUpdate`` after ``floor`` (the look-back covers the moment between the first page and the
clock reading).

It is a record of the ``orders`` feed (``key = "resume"``, scope ``resume``): the last
confirmed ID in ``bitrix_id``, the two dates in ``hash``; ``deleted`` once the pass completed.
Each save commits on its own, so a process killed at any point resumes from its last unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ._ports import Known, SyncStore

FEED = "orders"
KEY = "resume"
SCOPE = "resume"


@dataclass(frozen=True)
class Resume:
    since: datetime | None
    after: int
    floor: datetime

    def known(self) -> Known:
        since = "" if self.since is None else self.since.isoformat()
        return Known(KEY, f"{since}|{self.floor.isoformat()}", self.after, SCOPE)


def load(store: SyncStore) -> Resume | None:
    record = store.known(FEED, [KEY]).get(KEY)
    if record is None or record.deleted or record.bitrix_id is None:
        return None
    since, _, floor = record.hash.partition("|")
    try:
        return Resume(
            datetime.fromisoformat(since) if since else None,
            record.bitrix_id,
            datetime.fromisoformat(floor),
        )
    except ValueError:
        return None  # unreadable: start the pass over, as before resuming existed


def save(store: SyncStore, resume: Resume) -> None:
    store.remember(FEED, [resume.known()])


def clear(store: SyncStore) -> None:
    if load(store) is not None:
        store.remember(FEED, [Known(KEY, "", None, SCOPE, deleted=True)])
