"""Form widgets generated from the daemon's parameter schema (dialog_model.Control): the
painter's controls in front, the rest under Advanced, each shown only while it applies
(editor.control_layout). No parameter is declared here."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import contextlib

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from stylebridge.editor.control_layout import is_advanced, is_shown, shown_values, zero_text

INT_LIMIT = 2**31 - 1


def _number(control, spin):
    cast = int if isinstance(spin, QSpinBox) else float
    low = cast(control.minimum) if control.minimum is not None else -INT_LIMIT
    high = cast(control.maximum) if control.maximum is not None else INT_LIMIT
    spin.setRange(low, high)
    spin.setValue(cast(control.default) if control.default is not None else low)
    spin.setSpecialValueText(zero_text(control))  # shown at the minimum, 0: "Full size"
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
    """A list showing each choice's painter label (if any); the value read is the choice."""
    combo = QComboBox()
    for choice in control.choices:
        combo.addItem(control.choice_label(choice), choice)

    def write(value) -> None:
        index = combo.findData(str(value))
        if index < 0:
            raise ValueError(f"{value!r} is not a choice of {control.name}")
        combo.setCurrentIndex(index)

    write(control.default if control.default in control.choices else control.choices[0])
    return combo, combo.currentData, write, combo.currentIndexChanged


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
    """One row per control, Advanced ones in a section a button opens; `skip` names controls
    shown elsewhere (e.g. the method mixer)."""

    changed = pyqtSignal()

    def __init__(self, controls, skip=(), parent=None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        main, self.advanced = QFormLayout(), QGroupBox("Advanced")
        advanced = QFormLayout(self.advanced)
        self.advanced_button = QPushButton("Advanced…")
        self.advanced_button.setCheckable(True)
        self.advanced_button.toggled.connect(self.advanced.setVisible)
        outer.addLayout(main)
        outer.addWidget(self.advanced_button)
        outer.addWidget(self.advanced)
        self.advanced.hide()
        self._readers: dict = {}
        self._writers: dict = {}
        self._rows: dict = {}
        for control in controls:
            if control.name in skip:
                continue
            widget, read, write, signal = FACTORIES[control.kind](control)
            widget.setToolTip(control.help)
            signal.connect(self.changed)
            label = QLabel(control.label)
            (advanced if is_advanced(control) else main).addRow(label, widget)
            self._readers[control.name] = read
            self._writers[control.name] = write
            self._rows[control.name] = (label, widget)
        self.advanced_button.setVisible(advanced.rowCount() > 0)
        self.changed.connect(self._show_applicable)
        self._show_applicable()

    def _all_values(self) -> dict:
        return {name: read() for name, read in self._readers.items()}

    def _show_applicable(self) -> None:
        values = self._all_values()
        for name, row in self._rows.items():
            for widget in row:
                widget.setVisible(is_shown(name, values))

    def is_visible_row(self, name: str) -> bool:
        """Whether the row of `name` is shown (its section aside)."""
        return not self._rows[name][1].isHidden()

    def values(self) -> dict:
        """{name: value} of every control that applies now (hidden ones are not sent)."""
        return shown_values(self._all_values())

    def set_values(self, values: dict) -> None:
        """Restore saved values (unknown names and bad types are ignored)."""
        for name, value in values.items():
            # A saved value of another type keeps the default.
            with contextlib.suppress(TypeError, ValueError, KeyError):
                self._writers[name](value)
