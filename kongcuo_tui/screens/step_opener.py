"""Opening a persuasion step's form for one child, from the ledger or the detail screen.

Mixed into a screen with workers: `open_steps(entry_id)` reads the case and shows the step
chooser, `open_step(entry_id, step)` reads the form's setup and shows the form. After a
save the outcome is shown in Chinese and every screen on the stack that shows rows is
told (`steps_changed`), so the detail view and the ledger (its overdue count too) refresh.
"""

from __future__ import annotations

from textual import work

from ..services import persuasion, step_setup
from ..services.errors import ServiceError
from ..services.session import session
from ..widgets.worker_failures import ReportsWorkerFailures


class OpensSteps(ReportsWorkerFailures):
    def _cutoff(self) -> tuple[int, int]:
        s = self.app.settings
        return (s.cutoff_month, s.cutoff_day)

    def open_steps(self, entry_id: int) -> None:
        self._load_case(entry_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="steps", description="读取劝返记录")
    def _load_case(self, entry_id: int) -> None:
        try:
            with session():
                c = persuasion.case(self.app.actor, entry_id, today=self.app.today,
                                    calendar=self.app.settings.calendar(), cutoff=self._cutoff())
        except ServiceError as e:
            self.app.call_from_thread(self.notify, str(e), severity="warning")
            return
        self.app.call_from_thread(self._choose, c)

    def _choose(self, c) -> None:
        from .step_chooser import StepChooser

        self.app.push_screen(StepChooser(c), lambda step: step and self.open_step(c.entry_id, step))

    def open_step(self, entry_id: int, step: str) -> None:
        self._prepare_step(entry_id, step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="steps", description="打开劝返记录表单")
    def _prepare_step(self, entry_id: int, step: str) -> None:
        try:
            with session():
                setup = step_setup.prepare(self.app.actor, entry_id, step, self.app.today, self._cutoff())
        except ServiceError as e:
            self.app.call_from_thread(self.notify, str(e), title="未能打开", severity="warning", markup=False)
            return
        self.app.call_from_thread(self._open_step_form, setup)

    def _open_step_form(self, setup) -> None:
        from .step_form import StepForm

        form = StepForm(self.app.actor, setup, self.app.settings, today=self.app.today)
        self.app.push_screen(form, self._step_done)

    def _step_done(self, result) -> None:
        if result is None:
            return
        self.notify(result.message, markup=False)
        for screen in self.app.screen_stack:
            changed = getattr(screen, "steps_changed", None)
            if changed is not None:
                changed(result)
