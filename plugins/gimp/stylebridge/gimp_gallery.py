"""The style gallery of the dialog: a thumbnail per style to pick (up to MAX_BLEND_STYLES; one
more drops the oldest pick), and under it a weight slider per picked style with the share it
gets when applied (weights are shares of their sum, as both dialogs show them)."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from collections.abc import Callable

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402
from gimp_thumbs import encoded_pixbuf  # noqa: E402
from stylebridge.editor.dialog_model import MAX_BLEND_STYLES, Style  # noqa: E402

GALLERY_THUMB_PX = 64
GALLERY_HEIGHT_PX = 200
WEIGHT_SLIDER_PX = 160


def share_label() -> Gtk.Label:
    """The percent a blend row gets when applied, shown after its weight slider."""
    label = Gtk.Label(label="", xalign=1.0)
    label.set_width_chars(5)
    return label


def _tile(style: Style) -> Gtk.ToggleButton:
    """A toggle button showing the style's thumbnail over its title."""
    content = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=2)
    picture = Gtk.Image.new_from_pixbuf(encoded_pixbuf(style.thumbnail, GALLERY_THUMB_PX))
    picture.set_size_request(GALLERY_THUMB_PX, GALLERY_THUMB_PX)
    title = Gtk.Label(label=style.label, justify=Gtk.Justification.CENTER)
    title.set_line_wrap(True)
    title.set_max_width_chars(12)
    content.pack_start(picture, False, False, 0)
    content.pack_start(title, False, False, 0)
    button = Gtk.ToggleButton()
    button.add(content)
    button.set_tooltip_text(style.label)
    return button


class StyleGallery:
    """Gallery and sliders packed into `box`; `blend` presets the picks and their weights, and
    `on_change` runs after every pick and slider move (the dialog then shows the shares)."""

    def __init__(
        self,
        box: Gtk.Box,
        styles: tuple[Style, ...],
        blend: tuple,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self._on_change = on_change
        self._labels = {style.name: style.label for style in styles}
        self._picked: list[str] = []
        self._weights = {name: float(weight) for name, weight in blend}
        self.rows: list[tuple[str, Gtk.Adjustment, Gtk.Label]] = []
        self.buttons: dict[str, Gtk.ToggleButton] = {}
        flow = Gtk.FlowBox(selection_mode=Gtk.SelectionMode.NONE, homogeneous=True)
        flow.set_min_children_per_line(4)
        flow.set_max_children_per_line(5)
        for style in styles:
            self.buttons[style.name] = _tile(style)
            self.buttons[style.name].connect("toggled", self._toggled, style.name)
            flow.add(self.buttons[style.name])
        scroll = Gtk.ScrolledWindow()
        scroll.set_policy(Gtk.PolicyType.NEVER, Gtk.PolicyType.AUTOMATIC)
        scroll.set_min_content_height(GALLERY_HEIGHT_PX)
        scroll.add(flow)
        self.sliders = Gtk.Grid(column_spacing=8, row_spacing=4)
        box.pack_start(scroll, False, False, 0)
        box.pack_start(self.sliders, False, False, 0)
        for name, _ in blend:
            self.pick(name)

    def pick(self, name: str) -> None:
        """Pick the style `name` (as a click on its thumbnail does); unknown names are ignored."""
        if name in self.buttons:
            self.buttons[name].set_active(True)

    def _toggled(self, button: Gtk.ToggleButton, name: str) -> None:
        if not button.get_active():
            self._picked = [n for n in self._picked if n != name]
        elif name not in self._picked:
            self._picked.append(name)
            if not self._weights.get(name):  # a pick joins with an equal share, never at 0
                self._weights[name] = 1.0
            if len(self._picked) > MAX_BLEND_STYLES:
                self.buttons[self._picked[0]].set_active(False)  # re-enters: drops it
                return
        self._build_sliders()
        self._on_change()

    def _build_sliders(self) -> None:
        for child in self.sliders.get_children():
            child.destroy()
        self.rows = []
        for row, name in enumerate(self._picked):
            adjustment = Gtk.Adjustment.new(self._weights[name], 0.0, 1.0, 0.05, 0.1, 0.0)
            adjustment.connect("value-changed", self._moved, name)
            scale = Gtk.Scale.new(Gtk.Orientation.HORIZONTAL, adjustment)
            scale.set_draw_value(False)  # the share label says what is applied
            scale.set_size_request(WEIGHT_SLIDER_PX, -1)
            scale.set_hexpand(True)
            share = share_label()
            title = Gtk.Label(label=self._labels[name], xalign=0.0)
            for column, widget in enumerate((title, scale, share)):
                self.sliders.attach(widget, column, row, 1, 1)
            self.rows.append((name, adjustment, share))
        self.sliders.show_all()

    def _moved(self, adjustment: Gtk.Adjustment, name: str) -> None:
        self._weights[name] = adjustment.get_value()
        self._on_change()

    def blend(self) -> tuple[tuple[str, float], ...]:
        """The picked (style, weight) pairs, in pick order."""
        return tuple((name, self._weights[name]) for name in self._picked)

    def show_shares(self, shares: list[int]) -> list[int]:
        """Show the first shares beside the sliders (in blend() order); the rest back."""
        for index, (_, _, label) in enumerate(self.rows):
            label.set_text(f"{shares[index]}%" if index < len(shares) else "")
        return shares[len(self.rows) :]

    def shown_shares(self) -> list[str]:
        """The texts beside the sliders ("64%"), in order."""
        return [label.get_text() for _, _, label in self.rows]
