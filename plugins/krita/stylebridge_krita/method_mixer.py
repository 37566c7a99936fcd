"""The method mixer (fusion weights of the optimization path) and the quality preset combo."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QWidget
from stylebridge.editor.request_params import PRESET_LABELS


class MethodMixer(QWidget):
    """Fusion of style methods: a checkbox and a weight per method listed by the daemon."""

    def __init__(self, methods, parent=None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        self._rows = []
        for index, method in enumerate(methods):
            box = QCheckBox(method.label)
            box.setChecked(index == 0)
            weight = QDoubleSpinBox()
            weight.setRange(0.0, 100.0)
            weight.setValue(method.default_weight)
            layout.addRow(box, weight)
            self._rows.append((method.name, box, weight))

    def methods(self) -> tuple:
        """((method, weight), ...) of the ticked methods."""
        return tuple((name, w.value()) for name, box, w in self._rows if box.isChecked())

    def set_methods(self, methods) -> None:
        chosen = dict(methods)
        for name, box, weight in self._rows:
            box.setChecked(name in chosen)
            weight.setValue(chosen.get(name, weight.value()))


def preset_combo() -> QComboBox:
    """Quality/size presets (request_params.PRESETS), 'standard' selected."""
    combo = QComboBox()
    for key, label in PRESET_LABELS.items():
        combo.addItem(label, key)
    combo.setCurrentIndex(list(PRESET_LABELS).index("standard"))
    return combo
