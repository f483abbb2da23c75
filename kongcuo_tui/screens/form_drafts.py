"""What a form has typed survives a dropped connection: kept as a draft while typing.

The form stores its fields (after the same pause in typing that starts the live check),
restores them when it is opened again for the same rows, and drops the draft when it is
saved or closed on purpose. A lock orders the store and drop threads, so a store that
finishes late cannot bring back a draft that was just dropped.
"""

from __future__ import annotations

import threading

from textual import work

from ..services import drafts
from ..services.session import session
from ..widgets.worker_failures import ReportsWorkerFailures


class FormDrafts(ReportsWorkerFailures):
    """Mixed into a form screen that has `actor`, `setup.draft_key` and the two hooks below."""

    def _draft_fields(self) -> dict[str, object]:  # pragma: no cover - each form implements it
        raise NotImplementedError

    def _restore_draft(self, fields: dict[str, object]) -> None:  # pragma: no cover
        raise NotImplementedError

    def _init_drafts(self) -> None:
        self._draft_lock = threading.Lock()
        self._draft_done = False
        self._draft_stored: dict[str, object] | None = None

    def restore_saved_draft(self) -> None:
        """On mount, after the defaults are in: bring back last time's unsaved typing."""
        if self.setup.draft:
            self._restore_draft(self.setup.draft)
            self._draft_stored = dict(self.setup.draft)
            at = self.setup.draft_at.strftime("%m-%d %H:%M") if self.setup.draft_at else ""
            self.notify(f"已恢复 {at} 未保存的填写内容（断线前输入的）；Esc 可放弃", title="草稿")

    def keep_draft(self) -> None:
        """Store the fields as typed, if they changed since the last store."""
        fields = self._draft_fields()
        if fields != self._draft_stored:
            self._draft_stored = fields
            self._store_draft(fields)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-draft", description="保存草稿")
    def _store_draft(self, fields: dict[str, object]) -> None:
        with self._draft_lock, session():
            if not self._draft_done:
                drafts.save(self.actor, self.setup.draft_key, fields)

    def drop_draft_now(self) -> None:
        """In a worker thread that is already in a session (the save worker)."""
        with self._draft_lock:
            self._draft_done = True
            drafts.discard(self.actor, self.setup.draft_key)

    @work(thread=True, exit_on_error=False, group="form-draft-drop", description="删除草稿")
    def drop_draft_then(self, then) -> None:
        with session():
            self.drop_draft_now()
        self.app.call_from_thread(then)
