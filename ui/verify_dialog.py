"""'Dokument prüfen': a clerk checks a document a citizen brings back, from a scan, a photo, the
PDF, or the bytes a hand scanner typed in. The check runs on a lane; the verdict is a sentence."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import save_folder
from ui.i18n import tr, tr_title

OK_STYLE = "color: #1b5e20; font-weight: 600;"
FAILED_STYLE = "color: #b00020; font-weight: 600;"
UNCHECKED_STYLE = "color: #7a4f00; font-weight: 600;"


class VerifyDialog(QDialog):
    file_chosen = Signal(str)
    hex_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.setWindowTitle(tr("verify.title"))
        self.resize(720, 420)
        intro = QLabel(tr("verify.intro"))
        intro.setWordWrap(True)
        self.choose = QPushButton(tr("verify.choose"))
        self.choose.clicked.connect(self._choose)
        self.hex_input = QLineEdit()
        self.hex_input.setPlaceholderText(tr("verify.hex_placeholder"))
        self.hex_input.setAccessibleName(tr("verify.hex_placeholder"))
        self.hex_input.returnPressed.connect(self._hex)
        check_hex = QPushButton(tr("verify.check"))
        check_hex.clicked.connect(self._hex)
        row = QHBoxLayout()
        row.addWidget(self.hex_input, 1)
        row.addWidget(check_hex)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setAccessibleName(tr("verify.result"))
        self.verdict_label.setMinimumHeight(160)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the answer can be copied into a note or a mail to the other authority
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        close = buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        # Return belongs to the hex field (a hand scanner ends every seal with it): no button
        # of this dialog may take it as the default, least of all the file chooser
        for button in (self.choose, check_hex, close):
            button.setAutoDefault(False)
            button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.choose)
        layout.addLayout(row)
        layout.addWidget(self.verdict_label, 1)
        layout.addWidget(buttons)
        self.hex_input.setFocus()  # a hand scanner types into whatever has the focus

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr_title("verify.choose"), str(save_folder()), tr("verify.filter")
        )
        if path:
            self.check_file(path)

    def check_file(self, path: str) -> None:
        self.verdict_label.setStyleSheet("")
        self.verdict_label.setText(tr("verify.busy"))
        self.file_chosen.emit(path)

    def _hex(self) -> None:
        text = self.hex_input.text().strip()
        if text:
            self.verdict_label.setStyleSheet("")
            self.verdict_label.setText(tr("verify.busy"))
            self.hex_entered.emit(text)

    def show_verdict(self, authentic: bool | None, text: str) -> None:
        """Authentic (True), not authentic (False), or could not be checked (None)."""
        style = {True: OK_STYLE, False: FAILED_STYLE, None: UNCHECKED_STYLE}[authentic]
        self.verdict_label.setStyleSheet(style)
        self.verdict_label.setText(text)
