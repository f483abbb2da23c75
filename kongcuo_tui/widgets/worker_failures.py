"""Hand a failed worker to the app, which tells the user what failed.

Worker.StateChanged does not bubble: it reaches only the node that started the worker.
Every node that runs workers takes this mixin, so one handler on the app sees them all.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState


class ReportsWorkerFailures:
    """Mixin for screens and widgets with `@work` methods (a plain handler name: Textual finds
    it on every class of the MRO, decorated handlers only on its own DOM classes)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_failed(event.worker)
            self.app.post_message(Worker.StateChanged(event.worker, event.state))

    retry_hint = ""  # what the user can do next, added to the message

    def worker_failed(self, worker: Worker) -> None:
        """Put this node back into a usable state after `worker` raised (nothing by default)."""
