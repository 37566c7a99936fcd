"""The dialog's widgets and layout (no behaviour: dialog.py wires them)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from stylebridge.editor.dialog_model import MODE_LABELS
from stylebridge.editor.progress_text import CONNECTING_TEXT

from .feedback import CANCELLED_TEXT
from .gallery import BlendSliders, StyleGallery
from .method_mixer import preset_combo
from .preview import PreviewPane


def _row(*widgets) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget) if widget is not None else row.addStretch(1)
    return row


def _scrolled(widget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setMinimumHeight(180)
    return area


def build_ui(dialog) -> None:
    """Create the dialog's widgets as attributes of `dialog` and lay them out."""
    dialog.mode = QComboBox()
    for key, label in MODE_LABELS.items():
        dialog.mode.addItem(label, key)
    dialog.gallery = StyleGallery()
    dialog.sliders = BlendSliders()
    dialog.add_file = QPushButton("Style from file…")
    dialog.layer_choice = QComboBox()
    dialog.add_layer = QPushButton("Style from layer")
    dialog.methods_box = QWidget()
    dialog.methods_box.setLayout(QVBoxLayout())
    dialog.options = QStackedWidget()
    dialog.tabs = QTabWidget()
    dialog.tabs.addTab(_scrolled(dialog.options), "Options")
    dialog.tabs.addTab(_scrolled(dialog.methods_box), "Methods (fusion)")
    dialog.settings_button = QPushButton("Settings…")
    dialog.preset = preset_combo()
    dialog.preview = PreviewPane(dialog)
    dialog.live = QPushButton("Live preview")
    dialog.live.setCheckable(True)
    dialog.live.setChecked(True)
    dialog.preview_button = QPushButton("Preview")
    dialog.zoom = QPushButton("100 %")
    dialog.zoom.setCheckable(True)
    dialog.zoom.setToolTip("Real pixel size: a crop (double-click the preview to pick it)")
    dialog.progress = QProgressBar()
    dialog.status = QLabel(CONNECTING_TEXT)
    dialog.status.setWordWrap(True)
    dialog.cancel = QPushButton("Cancel")
    dialog.cancel.setEnabled(False)
    dialog.apply_button = QPushButton("Apply")
    dialog.apply_button.setDefault(True)
    dialog.close_button = QPushButton("Close")
    _layout(dialog)


def _layout(dialog) -> None:
    left = QVBoxLayout()
    left.addLayout(_row(QLabel("Mode"), dialog.mode))
    left.addWidget(dialog.gallery, 2)
    left.addWidget(dialog.sliders)
    left.addLayout(_row(dialog.add_file, dialog.layer_choice, dialog.add_layer))
    left.addLayout(_row(QLabel("Quality"), dialog.preset))
    left.addWidget(dialog.tabs, 1)
    right = QVBoxLayout()
    right.addWidget(dialog.preview)
    right.addLayout(_row(dialog.live, dialog.zoom, dialog.preview_button))
    right.addStretch(1)
    grid = QGridLayout(dialog)
    grid.addLayout(left, 0, 0)
    grid.addLayout(right, 0, 1)
    grid.addLayout(_row(dialog.progress, dialog.cancel), 1, 0, 1, 2)
    grid.addWidget(dialog.status, 2, 0, 1, 2)
    buttons = _row(dialog.settings_button, None, dialog.apply_button, dialog.close_button)
    grid.addLayout(buttons, 3, 0, 1, 2)
    grid.setColumnStretch(0, 3)
    grid.setColumnStretch(1, 2)


def follow_job(dialog, worker) -> None:
    """Progress bar, status text and Cancel follow `worker` until it ends. Called before the
    worker starts, so that a job failing at once still re-enables Apply. Failures reach the
    status line through extension.apply's `show`."""
    dialog.apply_button.setEnabled(False)
    dialog.cancel.setEnabled(True)
    dialog.cancel.clicked.connect(worker.cancel)
    worker.progressed.connect(lambda value, _: dialog.progress.setValue(value))
    worker.progressed.connect(lambda _, text: dialog.status.setText(text))
    worker.cancelled.connect(lambda: dialog.status.setText(CANCELLED_TEXT))
    worker.previewed.connect(dialog.preview.show_job_frame)
    worker.succeeded.connect(lambda _: dialog.status.setText("Done: the result is a new layer."))
    worker.finished.connect(lambda: _job_finished(dialog))


def _job_finished(dialog) -> None:
    dialog.apply_button.setEnabled(True)
    dialog.cancel.setEnabled(False)
    dialog.cancel.clicked.disconnect()
    dialog.progress.setValue(0)
