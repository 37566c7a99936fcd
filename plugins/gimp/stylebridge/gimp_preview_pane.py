"""The dialog's preview column: the layer before and after stylizing, split by a vertical line
the painter drags (or clicks), over a progress bar that also shows messages. The "100 %" button
shows a crop at real pixel size; a double-click on the picture centres the crop there."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from typing import Any

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import Gdk, GdkPixbuf, Gtk  # noqa: E402
from gimp_thumbs import fit_pixbuf, rgba_pixbuf  # noqa: E402

LINE_PX = 2
WHITE = 0xFFFFFFFF  # R, G, B, A


class PreviewPane:
    """`box` holds the picture (`image`, in an event box for the clicks) above the progress bar
    (`progress`). `split` is the line's place, 0 (all after) to 1 (all before). Composed in
    pixbufs: GIMP's Python may lack cairo's bindings (python3-gi-cairo), so no drawing area.
    `zoom` (a toggle) asks for the 100 % crop; `on_pick()` runs after a double-click set
    `crop_centre`; `shown_rect` (x, y, w, h in layer px) is the part of the layer shown."""

    def __init__(self, side_px: int) -> None:
        self.side_px = side_px
        self.box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        self.image = Gtk.Image()
        self.events = Gtk.EventBox()
        self.events.add(self.image)
        self.events.set_size_request(side_px, side_px)
        self.events.add_events(Gdk.EventMask.BUTTON_PRESS_MASK | Gdk.EventMask.BUTTON_MOTION_MASK)
        self.events.connect("button-press-event", self.drag)
        self.events.connect("motion-notify-event", self.drag)
        self.before: Any = None
        self.after: Any = None
        self.split = 0.5
        self.zoom = Gtk.ToggleButton(label="100 %")
        self.zoom.set_tooltip_text("Real pixel size: a crop (double-click the preview to pick it)")
        self.crop_centre: tuple[int, int] | None = None
        self.shown_rect: tuple[int, int, int, int] | None = None
        self.on_pick: Any = None
        self.progress = Gtk.ProgressBar(show_text=True, text="Preview: press Preview")
        self.box.pack_start(self.events, False, False, 0)
        self.box.pack_start(self.zoom, False, False, 0)
        self.box.pack_start(self.progress, False, False, 0)

    @property
    def actual_size(self) -> bool:
        """True while the 100 % crop is asked for."""
        return self.zoom.get_active()

    def show_before(self, data: bytes, width: int, height: int) -> None:
        """The layer as it is (R'G'B'A u8 pixels), left of the line."""
        self.before = rgba_pixbuf(data, width, height)
        self._compose()

    def show(self, data: bytes, width: int, height: int) -> None:
        """The stylized preview (R'G'B'A u8 pixels), right of the line."""
        self.after = rgba_pixbuf(data, width, height)
        self._compose()

    def shown(self) -> Any:
        """The picture on screen now (a pixbuf), or None."""
        return self.image.get_pixbuf()

    def picture_rect(self) -> tuple[int, int, int, int]:
        """(x, y, w, h) of the picture inside the event box (Gtk.Image centres it)."""
        width, height = self.events.get_allocated_width(), self.events.get_allocated_height()
        picture = self.shown()
        if picture is None:
            return (0, 0, width, height)
        w, h = picture.get_width(), picture.get_height()
        return ((width - w) // 2, (height - h) // 2, w, h)

    def set_split(self, fraction: float) -> None:
        """Put the line at `fraction` of the picture's width (clamped to 0..1)."""
        self.split = min(1.0, max(0.0, fraction))
        self._compose()

    def drag(self, _widget: Any, event: Any) -> bool:
        """A click or drag on the picture moves the line there; a double-click picks the
        centre of the 100 % crop."""
        if getattr(event, "type", None) == Gdk.EventType._2BUTTON_PRESS:
            self.pick(event.x, event.y)
            return True
        x, _, w, _ = self.picture_rect()
        self.set_split((event.x - x) / max(1, w))
        return True

    def pick(self, x: float, y: float) -> None:
        """Centre the 100 % crop on the layer point under (x, y) and switch to 100 %."""
        left, top, w, h = self.picture_rect()
        if self.shown_rect is None or self.shown() is None:
            return
        sx, sy, sw, sh = self.shown_rect
        fx, fy = (x - left) / max(1, w), (y - top) / max(1, h)
        self.crop_centre = (sx + round(fx * sw), sy + round(fy * sh))
        if not self.zoom.get_active():
            self.zoom.set_active(True)  # its "toggled" handler asks for a preview
        elif self.on_pick is not None:
            self.on_pick()

    def _compose(self) -> None:
        """The after picture with the before one copied left of the line, and the line."""
        if self.after is None or self.before is None:
            only = self.after or self.before
            grow = not self.actual_size
            self.image.set_from_pixbuf(fit_pixbuf(only, self.side_px, grow=grow) if only else None)
            return
        picture = fit_pixbuf(self.after, self.side_px, grow=not self.actual_size)
        w, h = picture.get_width(), picture.get_height()
        before = self.before.scale_simple(w, h, GdkPixbuf.InterpType.BILINEAR)
        line = round(self.split * w)
        if line > 0:
            before.copy_area(0, 0, line, h, picture, 0, 0)
        picture.new_subpixbuf(min(max(0, line - 1), w - LINE_PX), 0, LINE_PX, h).fill(WHITE)
        self.image.set_from_pixbuf(picture)

    def report(self, fraction: float, text: str) -> None:
        """Progress of a preview job; keeps the dialog responsive (its Cancel button)."""
        self.progress.set_fraction(fraction)
        self.progress.set_text(text)
        while Gtk.events_pending():
            Gtk.main_iteration()
