"""The style gallery (thumbnails; pick up to four) and one blend slider per picked style."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtGui import QIcon, QImage, QPixmap
from PyQt5.QtWidgets import QGridLayout, QLabel, QListWidget, QListWidgetItem, QSlider, QWidget
from stylebridge.editor.dialog_model import MAX_BLEND_STYLES
from stylebridge.editor.request_params import applied_percents

ICON_PX = 64
NAME_ROLE = Qt.UserRole


def style_icon(thumbnail) -> QIcon:
    image = QImage.fromData(thumbnail) if thumbnail else QImage()
    if image.isNull():
        image = QImage(ICON_PX, ICON_PX, QImage.Format_ARGB32)
        image.fill(Qt.gray)
    return QIcon(QPixmap.fromImage(image))


class StyleGallery(QListWidget):
    """Thumbnails of the styles; selecting more than MAX_BLEND_STYLES drops the oldest pick."""

    picked = pyqtSignal(list)  # [(name, label)] in pick order

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.IconMode)
        self.setIconSize(QSize(ICON_PX, ICON_PX))
        # Room for a title on up to three lines: names are shown whole, never elided.
        self.setGridSize(QSize(ICON_PX + 42, ICON_PX + 50))
        self.setTextElideMode(Qt.ElideNone)
        self.setResizeMode(QListWidget.Adjust)
        self.setMovement(QListWidget.Static)
        self.setWordWrap(True)
        self.setSelectionMode(QListWidget.MultiSelection)
        self.setMinimumHeight(2 * (ICON_PX + 40))
        self._order: list = []
        self.itemSelectionChanged.connect(self._selection_changed)

    def set_styles(self, styles) -> None:
        """Show `styles` (dialog_model.Style, or (name, label, QImage) for custom ones)."""
        self.clear()
        self._order = []
        for style in styles:
            self.add_style(style.name, style.label, style_icon(style.thumbnail))

    def add_style(self, name: str, label: str, icon: QIcon, select: bool = False) -> None:
        item = QListWidgetItem(icon, label)
        item.setData(NAME_ROLE, name)
        item.setToolTip(label)
        self.addItem(item)
        if select:
            item.setSelected(True)

    def picks(self) -> list:
        """[(name, label)] of the picked styles."""
        return [(i.data(NAME_ROLE), i.text()) for i in self.selectedItems()]

    def select_names(self, names) -> None:
        """Pick the styles called `names` (e.g. from the last settings)."""
        for row in range(self.count()):
            item = self.item(row)
            item.setSelected(item.data(NAME_ROLE) in names)

    def _selection_changed(self) -> None:
        selected = self.selectedItems()
        kept = [i for i in self._order if i in selected]
        self._order = kept + [i for i in selected if i not in kept]
        if len(self._order) > MAX_BLEND_STYLES:
            self._order.pop(0).setSelected(False)  # re-enters this slot with one pick fewer
            return
        self.picked.emit([(i.data(NAME_ROLE), i.text()) for i in self._order])


class BlendSliders(QWidget):
    """One 0..100 slider per picked style, each followed by the percent it will get when
    applied (the weights are shares: 90 and 50 apply 64 % and 36 %); `changed` fires on every
    move (debounce downstream)."""

    changed = pyqtSignal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._sliders: list = []
        self._percents: list = []
        self.changed.connect(self._show_percents)

    def set_styles(self, picked, weights=None) -> None:
        """Sliders for [(name, label)]; `weights` {name: 0..1} presets them (default equal)."""
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)  # gone now, not at the next event loop turn
                widget.deleteLater()
        self._sliders, self._percents = [], []
        for row, (name, label) in enumerate(picked):
            slider = QSlider(Qt.Horizontal)
            slider.setRange(0, 100)
            slider.setValue(round(100 * (weights or {}).get(name, 1.0 / len(picked))))
            slider.valueChanged.connect(self.changed)
            percent = QLabel()
            percent.setMinimumWidth(40)
            percent.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self._grid.addWidget(QLabel(label), row, 0)
            self._grid.addWidget(slider, row, 1)
            self._grid.addWidget(percent, row, 2)
            self._sliders.append((name, slider))
            self._percents.append(percent)
        self.changed.emit()

    def _show_percents(self) -> None:
        shares = applied_percents(self.blend())
        for index, label in enumerate(self._percents):
            label.setText(f"{shares[index]}%")

    def shown_percents(self) -> list:
        """The texts beside the sliders ("64%"), in order."""
        return [label.text() for label in self._percents]

    def blend(self) -> tuple:
        """((name, weight 0..1), ...) as the sliders stand."""
        return tuple((name, slider.value() / 100.0) for name, slider in self._sliders)
