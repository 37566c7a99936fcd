"""The Krita extension: menu actions, and the apply path shared by the dialog and 'Again'."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from krita import Extension, Krita
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.request_params import stylize_request

from . import daemon_tasks, settings
from .actions import ANIMATION_ID, APPLY_AGAIN_ID, DIALOG_ID, add_actions
from .feedback import CANCELLED_TEXT, is_interactive, report_error, report_note
from .layer_io import add_result_layer, read_source
from .progress_panel import ProgressPanel
from .style_sources import job_inputs
from .worker import TaskWorker


class StyleTransferExtension(Extension):
    """Filter > Neural Style Transfer… (dialog) and Filter > Apply Neural Style Again."""

    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.last_error = ""  # read by scripts and tests (no message box in batch mode)
        self.last_layer = None
        self.workers: set = set()  # running TaskWorkers (kept alive until they finish)
        self.dialog = None

    def setup(self) -> None:
        pass

    def createActions(self, window) -> None:  # noqa: N802 (Krita's API name)
        handlers = {DIALOG_ID: self.open_dialog, APPLY_AGAIN_ID: self.apply_again}
        add_actions(window, {**handlers, ANIMATION_ID: self.stylize_animation})

    def is_busy(self) -> bool:
        """True while a job of this plugin runs."""
        return bool(self.workers)

    def open_dialog(self) -> None:
        from .dialog import StyleDialog

        doc = Krita.instance().activeDocument()
        if doc is None:
            self.fail("Open a document first.")
            return
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = StyleDialog(self, doc)
        self.dialog.show()

    def apply_again(self) -> None:
        doc = Krita.instance().activeDocument()
        values = settings.last_values(doc)
        if values is None:
            if is_interactive():
                self.open_dialog()
            else:
                self.fail("No previous settings: use Filter > Neural Style Transfer… first.")
            return
        panel = ProgressPanel() if is_interactive() else None
        self.apply(doc, values, follow=panel.follow if panel is not None else None)

    def stylize_animation(self) -> None:
        """Every keyframe of the active layer, with the last settings, into a new animated layer."""
        from .animation import stylize_animation

        doc = Krita.instance().activeDocument()
        values = settings.last_values(doc)
        if values is None:
            self.fail("No previous settings: use Filter > Neural Style Transfer… first.")
            return
        panel = ProgressPanel() if is_interactive() else None
        stylize_animation(self, doc, values, follow=panel.follow if panel is not None else None)

    def fail(self, message: str, show=None) -> None:
        """Record `message` (scripts read last_error) and show it with `show` (the dialog's
        status line), else in a message box when someone is looking."""
        self.last_error = message
        (show or report_error)(message)

    def _cancelled(self) -> None:
        # The painter's own choice: a passing note, never a warning box.
        self.last_error = CANCELLED_TEXT
        report_note(CANCELLED_TEXT)

    def run_task(
        self, task, on_success, on_failure=None, on_cancel=None, follow=None
    ) -> TaskWorker:
        """Start `task(worker)` off the UI thread; `on_success(result)` runs on the UI thread.
        `follow(worker)` connects progress displays before the start, so that even a job that
        fails at once is seen to end."""
        worker = TaskWorker(task)
        self.workers.add(worker)
        worker.noted.connect(report_note)
        worker.succeeded.connect(on_success)
        worker.failed.connect(on_failure or self.fail)
        worker.cancelled.connect(on_cancel or self._cancelled)
        worker.finished.connect(lambda: self.workers.discard(worker))
        if follow is not None:
            follow(worker)
        worker.start()
        return worker

    def apply(
        self, doc, values, model=None, previews: bool = False, follow=None, show=None
    ) -> TaskWorker | None:
        """Stylize the active layer of `doc` with `values` into a new layer above it; `follow`
        as in run_task, `show` as in fail.

        Returns the running worker (for progress and Cancel), or None when nothing could start."""
        self.last_error = ""
        failed = lambda message: self.fail(message, show)  # noqa: E731
        try:
            node, source, customs = job_inputs(doc, read_source, values)
        except ValueError as e:
            failed(str(e))
            return None
        plugin_settings = settings.load_settings()

        def task(worker):
            dialog_model = model or daemon_tasks.load_model(plugin_settings, worker)
            request = stylize_request(values, dialog_model, max(source.rect[2:]))
            job = daemon_tasks.StylizeJob(
                source.pixels, source.fmt, source.mask, request, customs, previews
            )
            pixels, fmt = daemon_tasks.stylize(plugin_settings, job, worker)
            working_px = int(fmt.get("working_px") or 0)  # a preset may have picked the size
            side_px = max(source.rect[2:])
            return pixels, layer_name(request, dialog_model.labels(), side_px, working_px)

        def done(result) -> None:
            pixels, name = result
            try:
                self.last_layer = add_result_layer(doc, node, name, pixels, source.rect)
            except RuntimeError:  # the document or layer went away while the job ran
                failed("The source layer or document was closed before the result arrived.")
                return
            settings.save_last_values(values, doc)

        return self.run_task(task, done, failed, follow=follow)
