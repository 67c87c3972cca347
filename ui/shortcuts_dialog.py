"""F1: every command's keys in one list, for a clerk who works from the keyboard."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr


class ShortcutsDialog(QDialog):
    @classmethod
    def opened(cls, rows: list[tuple[str, str]], parent: QWidget) -> ShortcutsDialog:
        """The dialog on `rows` (the case's actions by their Alt+letter last), shown."""
        dialog = cls(rows, parent)
        dialog.open()
        return dialog

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("shortcuts.title"))
        self.resize(560, 560)
        intro = QLabel(tr("shortcuts.intro"))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(tr("shortcuts.title"))
        self.table.setHorizontalHeaderLabels([tr("shortcuts.what"), tr("shortcuts.keys")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox()
        close = buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
