"""Gtk widgets generated from the daemon's schema (editor.dialog_model.Control), and the style
blend rows. No parameter is listed here: every control comes from the schema."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402
from gimp_thumbs import THUMB_PX, encoded_pixbuf  # noqa: E402
from stylebridge.editor.dialog_model import MAX_BLEND_STYLES, Control, Style  # noqa: E402

NO_STYLE = ""
WEIGHT_SLIDER_PX = 160


@dataclass(frozen=True)
class Field:
    """A generated widget and how to read its value back."""

    name: str
    widget: Gtk.Widget
    read: Callable[[], Any]


def _adjustment(control: Control, value: Any) -> Gtk.Adjustment:
    lower = control.minimum if control.minimum is not None else -1e9
    upper = control.maximum if control.maximum is not None else 1e9
    step = 1.0 if control.kind == "int" else 0.01
    return Gtk.Adjustment.new(float(value), lower, upper, step, step * 10, 0.0)


def _number(control: Control, value: Any) -> Field:
    digits = 0 if control.kind == "int" else 3
    adjustment = _adjustment(control, value)
    widget = Gtk.SpinButton.new(adjustment, 1.0, digits)
    cast = int if control.kind == "int" else float
    return Field(control.name, widget, lambda: cast(adjustment.get_value()))


def _choice(control: Control, value: Any) -> Field:
    combo = Gtk.ComboBoxText()
    for choice in control.choices:
        combo.append(choice, choice)
    combo.set_active_id(str(value) if value in control.choices else control.choices[0])
    return Field(control.name, combo, lambda: combo.get_active_id())


def _bool(control: Control, value: Any) -> Field:
    check = Gtk.CheckButton.new_with_label(control.label)
    check.set_active(bool(value))
    return Field(control.name, check, check.get_active)


def _string(control: Control, value: Any) -> Field:
    """A text entry; with the usual values in a drop-down when the schema's name has some
    (init: content, network, noise)."""
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
    grid: Gtk.Grid, controls: tuple[Control, ...], values: dict[str, Any]
) -> list[Field]:
    """One row per control, starting at the grid's first free row; initial values from `values`."""
    fields = []
    for row, control in enumerate(controls, start=len(grid.get_children())):
        field = BUILDERS[control.kind](control, values.get(control.name, control.default))
        field.widget.set_tooltip_text(control.help)
        if isinstance(field.widget, Gtk.CheckButton):
            grid.attach(field.widget, 0, row, 2, 1)  # it shows its own label
        else:
            grid.attach(Gtk.Label(label=control.label, xalign=0.0), 0, row, 1, 1)
            grid.attach(field.widget, 1, row, 1, 1)
        field.widget.set_hexpand(True)
        fields.append(field)
    return fields


def share_label() -> Gtk.Label:
    """The percent a blend row gets when applied, shown after its weight slider."""
    label = Gtk.Label(label="", xalign=1.0)
    label.set_width_chars(5)
    return label


class BlendRows:
    """Up to MAX_BLEND_STYLES (thumbnail, style, weight, applied share) rows; a row with no
    style is left out. A style chosen in a row at weight 0 starts at 1 (an equal share), never
    silently at 0; `on_change` runs after every change (the dialog then shows the shares)."""

    def __init__(
        self,
        grid: Gtk.Grid,
        styles: tuple[Style, ...],
        blend: tuple,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.rows: list[tuple[Gtk.ComboBoxText, Gtk.Adjustment, Gtk.Label]] = []
        self._on_change = on_change
        thumbnails = {style.name: encoded_pixbuf(style.thumbnail) for style in styles}
        for index in range(MAX_BLEND_STYLES):
            name, weight = blend[index] if index < len(blend) else (NO_STYLE, 0.0)
            combo = Gtk.ComboBoxText()
            combo.append(NO_STYLE, "—")
            for style in styles:
                combo.append(style.name, style.label)
            combo.set_active_id(name if any(s.name == name for s in styles) else NO_STYLE)
            adjustment = Gtk.Adjustment.new(weight, 0.0, 1.0, 0.05, 0.1, 0.0)
            scale = Gtk.Scale.new(Gtk.Orientation.HORIZONTAL, adjustment)
            scale.set_draw_value(False)  # the share label says what is applied
            combo.set_hexpand(True)
            picture = Gtk.Image()
            picture.set_size_request(THUMB_PX, THUMB_PX)
            combo.connect("changed", self._show_thumbnail, picture, thumbnails)
            self._show_thumbnail(combo, picture, thumbnails)
            combo.connect("changed", self._picked, adjustment)
            adjustment.connect("value-changed", lambda _a: self._on_change())
            share = share_label()
            for column, widget in enumerate((picture, combo, scale, share)):
                grid.attach(widget, column, index, 1, 1)
            scale.set_size_request(WEIGHT_SLIDER_PX, -1)
            self.rows.append((combo, adjustment, share))

    @staticmethod
    def _show_thumbnail(combo: Gtk.ComboBoxText, picture: Gtk.Image, thumbnails: dict) -> None:
        """The chosen style's thumbnail from list_styles next to its chooser."""
        picture.set_from_pixbuf(thumbnails.get(combo.get_active_id()))

    def _picked(self, combo: Gtk.ComboBoxText, adjustment: Gtk.Adjustment) -> None:
        if combo.get_active_id() and adjustment.get_value() == 0.0:
            adjustment.set_value(1.0)
        self._on_change()

    def blend(self) -> tuple[tuple[str, float], ...]:
        """The chosen (style, weight) pairs."""
        chosen = ((combo.get_active_id(), adj.get_value()) for combo, adj, _ in self.rows)
        return tuple((name, weight) for name, weight in chosen if name)

    def show_shares(self, shares: list[int]) -> list[int]:
        """Show the first shares beside the chosen rows (in blend() order); the rest back."""
        for combo, _, label in self.rows:
            label.set_text(f"{shares.pop(0)}%" if combo.get_active_id() and shares else "")
        return shares
