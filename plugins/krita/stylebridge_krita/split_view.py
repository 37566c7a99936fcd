"""A before/after picture: the layer left of a vertical line, the result right of it; dragging
moves the line. Text (a message, an error) shows as in a plain QLabel."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtCore import QRect, Qt
from PyQt5.QtGui import QPainter, QPen
from PyQt5.QtWidgets import QLabel

LINE_PX = 2


def _fitted(pixmap, target: QRect):
    """`pixmap` scaled to exactly the size of `target` (smoothly)."""
    return pixmap.scaled(target.size(), Qt.IgnoreAspectRatio, Qt.SmoothTransformation)


class SplitView(QLabel):
    """`set_before(pixmap)`, `set_after(pixmap)`; `split` is the line's place, 0 (all after)
    to 1 (all before). With `actual_size` the pictures are drawn pixel for pixel (a 100 %
    crop), never scaled up to fill the widget."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._before = None
        self._after = None
        self.split = 0.5
        self.actual_size = False
        self.setCursor(Qt.SplitHCursor)

    def set_before(self, pixmap) -> None:
        self._before = pixmap
        self.update()

    def set_after(self, pixmap) -> None:
        self._after = pixmap
        self.update()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name): a message replaces the picture
        self._after = None
        super().setText(text)

    def has_result(self) -> bool:
        """True while a result is shown (not a message)."""
        return self._after is not None

    def set_split(self, fraction: float) -> None:
        """Put the line at `fraction` of the picture's width (clamped to 0..1)."""
        self.split = min(1.0, max(0.0, fraction))
        self.update()

    def picture_rect(self) -> QRect:
        """Where the picture is drawn: fitted into the widget, centred, aspect kept."""
        if self._after is None:
            return self.rect()
        size = self._after.size()
        if not self.actual_size or size.width() > self.width() or size.height() > self.height():
            size = size.scaled(self.size(), Qt.KeepAspectRatio)
        left, top = (self.width() - size.width()) // 2, (self.height() - size.height()) // 2
        return QRect(left, top, size.width(), size.height())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._after is None:
            super().paintEvent(event)
            return
        target = self.picture_rect()
        x = target.left() + round(self.split * target.width())
        painter = QPainter(self)
        painter.drawPixmap(target.topLeft(), _fitted(self._after, target))
        if self._before is not None:
            left = QRect(target.left(), target.top(), x - target.left(), target.height())
            painter.setClipRect(left)
            painter.drawPixmap(target.topLeft(), _fitted(self._before, target))
            painter.setClipping(False)
            painter.setPen(QPen(Qt.white, LINE_PX))
            painter.drawLine(x, target.top(), x, target.bottom())
        painter.end()

    def _drag(self, event) -> None:
        if self._after is not None:
            target = self.picture_rect()
            self.set_split((event.x() - target.left()) / max(1, target.width()))

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._drag(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._drag(event)
