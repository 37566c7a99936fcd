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
    `crop_centre`; `shown_rect` (x, y, w, h in layer px) is the part of the layer shown, and
    `crop_region` the region it was cut from while it is a 100 % crop. The picture sits in
    `view`, which widens with the dialog; `on_resize()` runs when its size changed."""

    def __init__(self, side_px: int) -> None:
        self.side_px = side_px
        self.box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        self.image = Gtk.Image()
        self.events = Gtk.EventBox()
        self.events.add(self.image)
        self.view = _picture_view(self.events, side_px)
        self.view.connect("size-allocate", self._allocated)
        self._size = (side_px, side_px)
        self.on_resize: Any = None
        self.crop_region: tuple[int, int, int, int] | None = None
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
        self.box.pack_start(self.view, False, False, 0)
        self.box.pack_start(self.zoom, False, False, 0)
        self.box.pack_start(self.progress, False, False, 0)

    @property
    def actual_size(self) -> bool:
        """True while the 100 % crop is asked for."""
        return self.zoom.get_active()

    def size(self) -> tuple[int, int]:
        """(w, h) px of the picture's area on screen: a 100 % crop's size."""
        return self._size

    def _allocated(self, _widget: Any, allocation: Any) -> None:
        size = (max(self.side_px, allocation.width), max(self.side_px, allocation.height))
        if size != self._size:
            self._size = size
            if self.on_resize is not None:
                self.on_resize()

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
            self.image.set_from_pixbuf(self._sized(only) if only else None)
            return
        picture = self._sized(self.after)
        w, h = picture.get_width(), picture.get_height()
        before = self.before.scale_simple(w, h, GdkPixbuf.InterpType.BILINEAR)
        line = round(self.split * w)
        if line > 0:
            before.copy_area(0, 0, line, h, picture, 0, 0)
        picture.new_subpixbuf(min(max(0, line - 1), w - LINE_PX), 0, LINE_PX, h).fill(WHITE)
        self.image.set_from_pixbuf(picture)

    def _sized(self, pixbuf: Any) -> Any:
        """A new pixbuf: the fitted preview at `side_px`; a 100 % crop pixel for pixel, only
        made smaller when the pane has shrunk below it (until a crop of the new size comes)."""
        if not self.actual_size:
            return fit_pixbuf(pixbuf, self.side_px, grow=True)
        width, height = self._size
        scale = min(1.0, width / pixbuf.get_width(), height / pixbuf.get_height())
        size = (max(1, int(pixbuf.get_width() * scale)), max(1, int(pixbuf.get_height() * scale)))
        return pixbuf.scale_simple(*size, GdkPixbuf.InterpType.BILINEAR)

    def report(self, fraction: float, text: str) -> None:
        """Progress of a preview job; keeps the dialog responsive (its Cancel button)."""
        self.progress.set_fraction(fraction)
        self.progress.set_text(text)
        while Gtk.events_pending():
            Gtk.main_iteration_do(False)  # never blocks: a pending event may be gone by now


def _picture_view(child: Any, side_px: int) -> Any:
    """`child` in a frameless view of at least `side_px` square that widens with the dialog
    and never grows to fit its picture, so that the dialog can narrow again (a Gtk.Image asks
    for its picture's size: a 100 % crop would hold the dialog at its width)."""
    view = Gtk.ScrolledWindow()
    view.set_policy(Gtk.PolicyType.EXTERNAL, Gtk.PolicyType.EXTERNAL)
    view.set_size_request(side_px, side_px)
    viewport = Gtk.Viewport()
    viewport.set_shadow_type(Gtk.ShadowType.NONE)
    viewport.add(child)
    view.add(viewport)
    return view
