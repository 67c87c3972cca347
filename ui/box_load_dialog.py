"""The dialog that loads the pickup box: scan the original (or type the reference), reach and
hold period; where four eyes are required it says that a second clerk confirms at their own
seat. The outcome line follows the loading (`ui.box_loading`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.pickup import Loading, LoadingState
from ui.i18n import tr


class BoxLoadDialog(QDialog):
    """Scan the original (the scanner types its number and Enter) or type the reference; the
    app checks the case and opens a fitting compartment."""

    def __init__(self, *, four_eyes: bool, hold_days: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("box.load.title"))
        self.scanned = QLineEdit()
        self.scanned.setPlaceholderText(tr("box.load.scan_hint"))
        self.step_free = QCheckBox(tr("box.load.step_free"))
        self.hold_days = QSpinBox()
        self.hold_days.setRange(1, 60)
        self.hold_days.setValue(hold_days)
        self.hold_days.setSuffix(tr("box.load.days"))
        self.four_eyes = QLabel(tr("box.load.four_eyes") if four_eyes else "")
        self.four_eyes.setWordWrap(True)
        self.four_eyes.setVisible(four_eyes)
        self.following: Loading | None = None  # the loading this dialog shows the way of
        self.seen_state: LoadingState | None = None  # its state when last read
        self.citizen = QLabel()  # whose original the last scan put in (name, case, service)
        self.citizen.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName(tr("name.message"))
        form = QFormLayout()
        form.addRow(tr("box.load.scan"), self.scanned)
        form.addRow("", self.step_free)
        form.addRow(tr("box.load.hold"), self.hold_days)
        for label, field in (("box.load.scan", self.scanned), ("box.load.hold", self.hold_days)):
            field.setAccessibleName(tr(label).replace("&", ""))
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(
            tr("box.load.open"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.open_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.four_eyes)
        layout.addWidget(self.citizen)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)
        self.resize(560, 260)

    def show_result(self, text: str) -> None:
        self.outcome.setText(text)
        self.scanned.selectAll()
        self.scanned.setFocus()
