"""Form widgets generated from the daemon's parameter schema (dialog_model.Control), the
method mixer (fusion weights) and the quality preset. No parameter is declared here."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import contextlib

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from stylebridge.editor.request_params import PRESET_LABELS

INT_LIMIT = 2**31 - 1


def _number(control, spin):
    cast = int if isinstance(spin, QSpinBox) else float
    low = cast(control.minimum) if control.minimum is not None else -INT_LIMIT
    high = cast(control.maximum) if control.maximum is not None else INT_LIMIT
    spin.setRange(low, high)
    spin.setValue(cast(control.default) if control.default is not None else low)
    return spin, spin.value, lambda v: spin.setValue(cast(v)), spin.valueChanged


def _float(control):
    spin = QDoubleSpinBox()
    spin.setDecimals(4 if (control.maximum or 0) <= 1 else 2)
    spin.setSingleStep(0.05 if (control.maximum or 0) <= 1 else 1.0)
    return _number(control, spin)


def _bool(control):
    box = QCheckBox()
    box.setChecked(bool(control.default))
    return box, box.isChecked, lambda v: box.setChecked(bool(v)), box.toggled


def _choice(control):
    combo = QComboBox()
    combo.addItems(list(control.choices))
    combo.setCurrentText(str(control.default))
    return (
        combo,
        combo.currentText,
        lambda v: combo.setCurrentText(str(v)),
        combo.currentTextChanged,
    )


def _string(control):
    """A line edit; an editable list of the usual values when the schema's name has some."""
    if not control.suggestions:
        edit = QLineEdit(str(control.default or ""))
        return edit, edit.text, lambda v: edit.setText(str(v)), edit.textChanged
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(list(control.suggestions))
    combo.setCurrentText(str(control.default or ""))
    write = lambda v: combo.setCurrentText(str(v))  # noqa: E731
    return combo, combo.currentText, write, combo.currentTextChanged


# Control kind -> widget factory returning (widget, read value, write value, change signal).
FACTORIES = {
    "int": lambda c: _number(c, QSpinBox()),
    "float": _float,
    "bool": _bool,
    "choice": _choice,
    "string": _string,
}


class OptionsForm(QWidget):
    """One row per control; `skip` names controls shown elsewhere (e.g. the method mixer)."""

    changed = pyqtSignal()

    def __init__(self, controls, skip=(), parent=None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        self._readers: dict = {}
        self._writers: dict = {}
        for control in controls:
            if control.name in skip:
                continue
            widget, read, write, signal = FACTORIES[control.kind](control)
            widget.setToolTip(control.help)
            signal.connect(self.changed)
            layout.addRow(control.label, widget)
            self._readers[control.name] = read
            self._writers[control.name] = write

    def values(self) -> dict:
        """{name: value} of every shown control."""
        return {name: read() for name, read in self._readers.items()}

    def set_values(self, values: dict) -> None:
        """Restore saved values (unknown names and bad types are ignored)."""
        for name, value in values.items():
            # A saved value of another type keeps the default.
            with contextlib.suppress(TypeError, ValueError, KeyError):
                self._writers[name](value)


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
