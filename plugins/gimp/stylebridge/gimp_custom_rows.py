"""The dialog's custom styles (optimize mode): a file chooser and a layer chooser add style images,
each shown as a row with its thumbnail, name, weight and a remove button."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402
from gimp_gallery import WEIGHT_SLIDER_PX, share_label  # noqa: E402
from gimp_thumbs import THUMB_PX, source_pixbuf  # noqa: E402
from stylebridge.editor.request_params import CUSTOM_PREFIX, DialogValues  # noqa: E402

IMAGE_PATTERNS = ("*.png", "*.jpg", "*.jpeg", "*.webp", "*.tif", "*.tiff", "*.xcf", "*.bmp")


def _label(source: str) -> str:
    kind, _, value = source.partition(":")
    return os.path.basename(value) if kind == "file" else f"Layer “{value}”"


class CustomRows:
    """Custom style rows in `box`; `sources()` / `blend()` read them back for DialogValues."""

    def __init__(
        self,
        box: Gtk.Box,
        image: Any,
        source_layer: Any,
        values: DialogValues,
        on_change: Callable[[], None] = lambda: None,
    ):
        self.image = image
        self._on_change = on_change
        self.rows: list[tuple[str, Gtk.Adjustment, Gtk.Grid, Gtk.Label]] = []
        self.list = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=4)
        box.pack_start(Gtk.Label(label="Custom styles", xalign=0.0), False, False, 0)
        box.pack_start(self.list, False, False, 0)
        box.pack_start(self._choosers(source_layer), False, False, 0)
        weights = dict(values.blend)
        for index, source in enumerate(values.custom_styles):
            self.add(source, weights.get(f"{CUSTOM_PREFIX}{index}", 0.0))

    def _choosers(self, source_layer: Any) -> Gtk.Box:
        """[file chooser button] [layer combo] [Add layer]."""
        row = Gtk.Box(orientation=Gtk.Orientation.HORIZONTAL, spacing=6)
        files = Gtk.FileChooserButton(title="Style image", action=Gtk.FileChooserAction.OPEN)
        pattern = Gtk.FileFilter()
        pattern.set_name("Images")
        for glob in IMAGE_PATTERNS:
            pattern.add_pattern(glob)
        files.add_filter(pattern)
        files.set_tooltip_text("Add an image file as a style")
        files.connect(
            "file-set", lambda b: b.get_filename() and self.add(f"file:{b.get_filename()}")
        )
        self.layers = Gtk.ComboBoxText()
        for layer in self.image.get_layers():
            if layer != source_layer:
                self.layers.append(layer.get_name(), layer.get_name())
        self.layers.set_active(0)
        add = Gtk.Button(label="Add layer")
        add.set_tooltip_text("Use another layer of this image as a style")
        add.connect("clicked", lambda _b: self._add_layer())
        for widget in (files, self.layers, add):
            row.pack_start(widget, widget is not add, True, 0)
        return row

    def _add_layer(self) -> None:
        name = self.layers.get_active_id()
        if name:
            self.add(f"layer:{name}")

    def add(self, source: str, weight: float = 1.0) -> None:
        """A row for `source` ("file:PATH" or "layer:NAME") with its thumbnail."""
        grid = Gtk.Grid(column_spacing=8)
        picture = Gtk.Image.new_from_pixbuf(source_pixbuf(self.image, source))
        picture.set_size_request(THUMB_PX, THUMB_PX)
        adjustment = Gtk.Adjustment.new(weight, 0.0, 1.0, 0.05, 0.1, 0.0)
        scale = Gtk.Scale.new(Gtk.Orientation.HORIZONTAL, adjustment)
        scale.set_draw_value(False)  # the share label says what is applied
        scale.set_size_request(WEIGHT_SLIDER_PX, -1)
        adjustment.connect("value-changed", lambda _a: self._on_change())
        name = Gtk.Label(label=_label(source), xalign=0.0, hexpand=True)
        name.set_tooltip_text(source)
        remove = Gtk.Button.new_from_icon_name("list-remove", Gtk.IconSize.BUTTON)
        remove.set_tooltip_text("Remove this style")
        remove.connect("clicked", lambda _b: self._remove(grid))
        share = share_label()
        for column, widget in enumerate((picture, name, scale, share, remove)):
            grid.attach(widget, column, 0, 1, 1)
        self.list.pack_start(grid, False, False, 0)
        self.rows.append((source, adjustment, grid, share))
        grid.show_all()
        self._on_change()

    def _remove(self, grid: Gtk.Grid) -> None:
        self.rows = [row for row in self.rows if row[2] is not grid]
        grid.destroy()
        self._on_change()

    def sources(self) -> tuple[str, ...]:
        """DialogValues.custom_styles: the sources, in row order."""
        return tuple(row[0] for row in self.rows)

    def blend(self) -> tuple[tuple[str, float], ...]:
        """("custom:N", weight) per row, N indexing sources()."""
        return tuple(
            (f"{CUSTOM_PREFIX}{index}", row[1].get_value()) for index, row in enumerate(self.rows)
        )

    def show_shares(self, shares: list[int]) -> None:
        """Show the applied shares beside the rows, in order."""
        for index, row in enumerate(self.rows):
            row[3].set_text(f"{shares[index]}%" if index < len(shares) else "")
