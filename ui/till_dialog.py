""" "Kasse – Tagesabschluss": today's journal of this seat's till, the expected cash beside
the counted, the difference (and a note for it), closing; then a second person confirms. The
dialog shows; ui.till_controller does the work on the database lane."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.till import DayState
from app.services.till import DayView
from ui.figure_table import NUMBER_ALIGNMENT
from ui.i18n import format_day, format_money, plain, tr
from ui.inbox_model import local_time
from ui.walk_in_dialog import ERROR_STYLE

OK_STYLE = "color: #1b5e20; font-weight: bold;"


def cents_typed(text: str) -> int | None:
    """'26,50' or '26' euros as cents; None while it is not an amount."""
    euros, _comma, rest = text.strip().replace(".", ",").partition(",")
    if not euros.isdigit() or (rest and not rest.isdigit()) or len(rest) > 2:
        return None
    return int(euros) * 100 + int(rest.ljust(2, "0") or 0)


class TillDialog(QDialog):
    """`close_requested(counted_cents, note)`, `confirm_requested()`."""

    close_requested = Signal(int, str)
    confirm_requested = Signal()
    receipt_requested = Signal(int)  # the entry's id: its Quittung printed again

    def __init__(self, counter: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("till.title", counter=counter))
        self.setAccessibleName(self.windowTitle())
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.entries = QTableWidget(0, 5)
        self.entries.setAccessibleName(tr("till.entries"))
        self.entries.verticalHeader().setVisible(False)
        self.entries.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.entries.setTabKeyNavigation(False)
        self.entries.horizontalHeader().setStretchLastSection(True)
        self.expected = QLabel()
        self.card = QLabel()
        self.counted = QLineEdit()
        self.counted.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,7}([,.]\d{0,2})?"))
        )
        self.counted.setAccessibleName(plain(tr("till.counted")))
        self.difference = QLabel()
        self.note = QLineEdit()
        self.note.setAccessibleName(plain(tr("till.note")))
        form = QFormLayout()
        form.addRow(tr("till.expected"), self.expected)
        form.addRow(tr("till.card"), self.card)
        counted_label, note_label = QLabel(tr("till.counted")), QLabel(tr("till.note"))
        counted_label.setBuddy(self.counted)
        note_label.setBuddy(self.note)
        form.addRow(counted_label, self.counted)
        form.addRow(tr("till.difference"), self.difference)
        form.addRow(note_label, self.note)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.close_button = QPushButton(tr("till.close"))
        self.confirm_button = QPushButton(tr("till.confirm"))
        self.receipt_button = QPushButton(tr("till.print_receipt"))
        self.receipt_button.setEnabled(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.receipt_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.entries, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 620)
        self.view: DayView | None = None
        self.counted.textChanged.connect(self._update)
        self.note.textChanged.connect(self._update)
        self.close_button.clicked.connect(self._close)
        self.confirm_button.clicked.connect(self.confirm_requested.emit)
        self.entries.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.entries.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.entries.itemSelectionChanged.connect(
            lambda: self.receipt_button.setEnabled(self.chosen_entry() is not None)
        )
        self.receipt_button.clicked.connect(self._receipt)

    def show_day(self, view: DayView) -> None:
        self.view = view
        day = view.day
        self.state.setText(
            tr(f"till.state_{day.state.value}", day=format_day(day.day), by=day.closed_by or "–")
        )
        self.entries.setHorizontalHeaderLabels(
            [
                tr("till.col_time"),
                tr("till.col_receipt"),
                tr("column.reference"),
                tr("till.col_way"),
                tr("till.col_amount"),
            ]
        )
        self.entries.setRowCount(len(view.entries))
        for row, entry in enumerate(view.entries):
            way = (
                tr("till.cancellation")
                if entry.cancels
                else tr(f"till.method_{entry.method.value}")
            )
            values = [
                local_time(entry.at),
                entry.receipt,
                entry.case_reference,
                way,
                format_money(entry.amount_cents),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 4:
                    item.setTextAlignment(NUMBER_ALIGNMENT)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.entries.setItem(row, column, item)
        self.entries.resizeColumnsToContents()
        open_day = day.state is DayState.OPEN
        expected = view.totals.cash_cents if open_day else day.expected_cash_cents
        self.expected.setText(format_money(expected))
        self.card.setText(format_money(view.totals.card_cents))
        if day.counted_cash_cents is not None:
            self.counted.setText(f"{day.counted_cash_cents / 100:.2f}".replace(".", ","))
            self.note.setText(day.note)
        self.counted.setReadOnly(not open_day)
        self.note.setReadOnly(not open_day)
        self.confirm_button.setVisible(day.state is DayState.CLOSED)
        self.close_button.setVisible(open_day)
        self._update()
        (self.counted if open_day else self.confirm_button).setFocus()

    def show_message(self, text: str, *, ok: bool = False) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def _update(self) -> None:
        if self.view is None:
            return
        counted = cents_typed(self.counted.text())
        expected = self.view.totals.cash_cents
        if counted is None:
            self.difference.setText("–")
        else:
            difference = counted - expected
            self.difference.setText(
                format_money(difference) if difference else tr("till.no_difference")
            )
            self.difference.setStyleSheet(ERROR_STYLE if difference else OK_STYLE)
        needs_note = counted is not None and counted != expected and not self.note.text().strip()
        self.close_button.setEnabled(counted is not None and not needs_note)

    def chosen_entry(self) -> int | None:
        rows = self.entries.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.entries.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _receipt(self) -> None:
        entry = self.chosen_entry()
        if entry is not None:
            self.receipt_requested.emit(entry)

    def _close(self) -> None:
        counted = cents_typed(self.counted.text())
        if counted is not None:
            self.close_requested.emit(counted, self.note.text())
