"""The dialog's preview column: the picture and a progress bar that also shows messages."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402
from gimp_thumbs import rgba_pixbuf  # noqa: E402


class PreviewPane:
    """`box` holds the picture (`image`) above the progress bar (`progress`)."""

    def __init__(self, side_px: int) -> None:
        self.box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        self.image = Gtk.Image()
        self.image.set_size_request(side_px, side_px)
        self.progress = Gtk.ProgressBar(show_text=True, text="Preview: press Preview")
        self.box.pack_start(self.image, False, False, 0)
        self.box.pack_start(self.progress, False, False, 0)

    def show(self, data: bytes, width: int, height: int) -> None:
        """Show R'G'B'A u8 pixels."""
        self.image.set_from_pixbuf(rgba_pixbuf(data, width, height))

    def report(self, fraction: float, text: str) -> None:
        """Progress of a preview job; keeps the dialog responsive (its Cancel button)."""
        self.progress.set_fraction(fraction)
        self.progress.set_text(text)
        while Gtk.events_pending():
            Gtk.main_iteration()
