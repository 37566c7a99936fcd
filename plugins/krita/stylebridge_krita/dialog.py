"""Filter > Neural Style Transfer…: the dialog's behaviour (widgets are in dialog_ui.py)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from krita import Krita
from PyQt5.QtWidgets import QDialog
from stylebridge.editor.dialog_model import CUSTOM_STYLE_MODES, MODES
from stylebridge.editor.request_params import (
    METHOD_NAME,
    SIZE_NAMES,
    DialogValues,
    dialog_size_applies,
    stylize_request,
)

from . import daemon_tasks, settings
from .dialog_ui import build_ui, follow_job
from .method_mixer import MethodMixer
from .mode_choice import enable_mode_widgets, mark_unavailable_modes
from .options_form import OptionsForm
from .settings_dialog import open_engine_settings
from .style_sources import add_file_style, add_layer_style, custom_frames, source_icon


class StyleDialog(QDialog):
    """Non-modal: the painter keeps working while a job runs; Apply may be pressed again."""

    def __init__(self, extension, doc) -> None:
        window = Krita.instance().activeWindow()
        super().__init__(window.qwindow() if window is not None else None)
        self.setWindowTitle("Neural Style Transfer")
        self.extension, self.doc = extension, doc
        self.settings = settings.load_settings()
        self.model = None
        self.custom_sources: list = []
        self._forms: dict = {}
        self._mixer = MethodMixer(())
        build_ui(self)
        self._connect()
        self.layer_choice.addItems(
            [n.name() for n in doc.topLevelNodes() if n.type() == "paintlayer"]
        )
        self._note = ""
        task = lambda worker: daemon_tasks.load_model(self.settings, worker)  # noqa: E731
        extension.run_task(task, self._loaded, self._report).noted.connect(self._noted)

    def _noted(self, message: str) -> None:
        self._note = message + " "
        self.status.setText(message)

    def _connect(self) -> None:
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.gallery.picked.connect(self.sliders.set_styles)
        self.sliders.changed.connect(self._changed)
        self.add_file.clicked.connect(lambda: add_file_style(self))
        self.add_layer.clicked.connect(lambda: add_layer_style(self))
        self.preview.attach(self.preview_button)
        self.preview.attach_zoom(self.zoom)
        self.apply_button.clicked.connect(self._apply)
        self.close_button.clicked.connect(self.close)
        self.settings_button.clicked.connect(lambda: open_engine_settings(self))

    def _loaded(self, model) -> None:
        self.model = model
        for mode in MODES:
            form = OptionsForm(model.controls_for(mode), skip=(METHOD_NAME, *SIZE_NAMES))
            form.changed.connect(self._changed)
            self.options.addWidget(form)
            self._forms[mode] = form
        self._mixer = MethodMixer(model.methods)
        self.methods_box.layout().addWidget(self._mixer)
        mark_unavailable_modes(self.mode, model)
        self._restore(model, settings.last_values(self.doc))

    def _restore(self, model, values) -> None:
        if values is not None and not model.reason_unavailable(values.mode):
            self.mode.setCurrentIndex(max(0, list(MODES).index(values.mode)))
            self.custom_sources = list(values.custom_styles)
        else:
            values = None
        self._mode_changed()
        if values is not None:
            self._forms[values.mode].set_values(values.options)
            self._mixer.set_methods(values.methods)
            self.preset.setCurrentIndex(max(0, self.preset.findData(values.preset)))
            self.gallery.select_names([name for name, _ in values.blend])
            self.sliders.set_styles(self.gallery.picks(), dict(values.blend))

    def _mode_changed(self) -> None:
        if self.model is None:
            return
        mode = MODES[self.mode.currentIndex()]
        self.gallery.set_styles(self.model.styles_for(mode))
        for index, source in enumerate(self.custom_sources if mode in CUSTOM_STYLE_MODES else ()):
            label = source.split(":", 1)[1]
            self.gallery.add_style(f"custom:{index}", label, source_icon(self.doc, source))
        self.options.setCurrentWidget(self._forms[mode])
        enable_mode_widgets(self, mode)
        self.preview.cancel()  # a preview pending or running for the other mode is stale
        count = self.gallery.count()  # what the gallery shows, not the sum over both modes
        self.status.setText(f"{self._note}Ready: {count} styles. Pick up to four styles.")
        self._changed()

    def _changed(self) -> None:
        if self.model is None:
            return
        # Quality (the dialog's size) is greyed while the daemon's preset decides the size.
        self.preset.setEnabled(dialog_size_applies(self.current_values(), self.model))
        if self.live.isEnabled() and self.live.isChecked() and self.sliders.blend():
            self.preview.request()

    def current_values(self) -> DialogValues:
        """The dialog's state as DialogValues (what Apply sends and 'Again' repeats)."""
        return DialogValues(
            mode=MODES[self.mode.currentIndex()],
            blend=self.sliders.blend(),
            methods=self._mixer.methods(),
            options=self._forms[MODES[self.mode.currentIndex()]].values() if self._forms else {},
            preset=self.preset.currentData(),
            custom_styles=tuple(self.custom_sources),
        )

    def custom_frames(self) -> tuple:
        return custom_frames(self.doc, tuple(self.custom_sources))

    def add_custom(self, source: str, label: str) -> None:
        """Offer `source` ("file:PATH" or "layer:NAME") in the gallery, picked."""
        self.custom_sources.append(source)
        self.gallery.add_style(
            f"custom:{len(self.custom_sources) - 1}", label, source_icon(self.doc, source), True
        )

    def _apply(self) -> None:
        if self.model is None:
            return
        values = self.current_values()
        try:
            stylize_request(values, self.model)  # a bad choice is said here, before any job
        except ValueError as e:
            self.extension.fail(str(e), self._report)
            return
        self.preview.cancel()  # Apply never waits behind a preview in the daemon's queue
        follow = lambda worker: follow_job(self, worker)  # noqa: E731
        self.extension.apply(self.doc, values, self.model, True, follow, self._report)

    def _report(self, message: str) -> None:
        self.status.setText(message)
