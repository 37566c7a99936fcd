"""Gtk widgets generated from the daemon's schema (editor.dialog_model.Control): the painter's
controls in one grid, the rest in the Advanced one, each shown only while it applies
(editor.control_layout). No parameter is listed here: every control comes from the schema."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402
from stylebridge.editor.control_layout import is_advanced, is_shown, zero_text  # noqa: E402
from stylebridge.editor.dialog_model import Control  # noqa: E402

# Widget class -> the signal it sends when its value changes (the first match counts).
CHANGE_SIGNALS = (
    (Gtk.SpinButton, "value-changed"),
    (Gtk.ComboBoxText, "changed"),
    (Gtk.CheckButton, "toggled"),
    (Gtk.Entry, "changed"),
)


@dataclass(frozen=True)
class Field:
    """A generated widget and how to read its value back."""

    name: str
    widget: Gtk.Widget
    read: Callable[[], Any]
    label: Gtk.Widget | None = None


def _adjustment(control: Control, value: Any) -> Gtk.Adjustment:
    lower = control.minimum if control.minimum is not None else -1e9
    upper = control.maximum if control.maximum is not None else 1e9
    step = 1.0 if control.kind == "int" else 0.01
    return Gtk.Adjustment.new(float(value), lower, upper, step, step * 10, 0.0)


def _zero_as_words(spin: Gtk.SpinButton, words: str) -> bool:
    """The spin button's "output" handler: 0 reads "Full size" (True: the text is set)."""
    if spin.get_value() != 0:
        return False
    spin.set_text(words)
    return True


def _number(control: Control, value: Any) -> Field:
    digits = 0 if control.kind == "int" else 3
    adjustment = _adjustment(control, value)
    widget = Gtk.SpinButton.new(adjustment, 1.0, digits)
    words = zero_text(control)
    if words:
        widget.connect("output", _zero_as_words, words)
    cast = int if control.kind == "int" else float
    return Field(control.name, widget, lambda: cast(adjustment.get_value()))


def _choice(control: Control, value: Any) -> Field:
    combo = Gtk.ComboBoxText()
    for choice in control.choices:
        combo.append(choice, control.choice_label(choice))
    combo.set_active_id(str(value) if value in control.choices else control.choices[0])
    return Field(control.name, combo, lambda: combo.get_active_id())


def _bool(control: Control, value: Any) -> Field:
    check = Gtk.CheckButton.new_with_label(control.label)
    check.set_active(bool(value))
    return Field(control.name, check, check.get_active)


def _string(control: Control, value: Any) -> Field:
    """A text entry; with the usual values in a drop-down when the schema's name has some
    (init: auto, content, network, arbitrary, noise)."""
    if not control.suggestions:
        entry = Gtk.Entry()
        entry.set_text("" if value is None else str(value))
        return Field(control.name, entry, entry.get_text)
    combo = Gtk.ComboBoxText.new_with_entry()
    for suggestion in control.suggestions:
        combo.append_text(suggestion)
    entry = combo.get_child()
    entry.set_text("" if value is None else str(value))
    return Field(control.name, combo, entry.get_text)


BUILDERS: dict[str, Callable[[Control, Any], Field]] = {
    "int": _number,
    "float": _number,
    "choice": _choice,
    "bool": _bool,
    "string": _string,
}


def build_fields(
    grids: tuple[Gtk.Grid, Gtk.Grid], controls: tuple[Control, ...], values: dict[str, Any]
) -> list[Field]:
    """One row per control: the painter's in grids[0], Advanced ones in grids[1]; initial values
    from `values`. Call show_applicable() once the dialog is shown."""
    fields, rows = [], [0, 0]
    for control in controls:
        field = BUILDERS[control.kind](control, values.get(control.name, control.default))
        field.widget.set_tooltip_text(control.help)
        section = int(is_advanced(control))
        grid, row = grids[section], rows[section]
        rows[section] += 1
        if isinstance(field.widget, Gtk.CheckButton):
            grid.attach(field.widget, 0, row, 2, 1)  # it shows its own label
        else:
            label = Gtk.Label(label=control.label, xalign=0.0)
            field = Field(field.name, field.widget, field.read, label)
            grid.attach(label, 0, row, 1, 1)
            grid.attach(field.widget, 1, row, 1, 1)
        field.widget.set_hexpand(True)
        fields.append(field)
    for field in fields:
        signal = next(name for kind, name in CHANGE_SIGNALS if isinstance(field.widget, kind))
        field.widget.connect(signal, lambda *_: show_applicable(fields))
    return fields


def show_applicable(fields: list[Field]) -> None:
    """Show the rows of the controls that apply to the current values, hide the others."""
    values = {field.name: field.read() for field in fields}
    for field in fields:
        shown = is_shown(field.name, values)
        for widget in (field.widget, field.label):
            if widget is not None:
                widget.set_no_show_all(not shown)  # a later show_all() keeps it hidden
                widget.set_visible(shown)
