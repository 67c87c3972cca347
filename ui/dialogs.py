"""Small dialogs: reject with reason, reassign, fee, the citizen's answer recorded."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRegularExpression, QStandardPaths
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import ANSWER_CHANNELS
from app.domain.users import User
from app.services.fees import WAYS as FEE_WAYS
from ui.i18n import format_money, plain, tr


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    buttons.addButton(tr("dialog.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RejectDialog(QDialog):
    """Asks for the reason that goes into the rejection notice; refuses an empty one."""

    TITLE, PROMPT, CONFIRM = "reject.title", "reject.prompt", "reject.confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr(self.TITLE))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(tr("case.reason"))
        self.reason.setTabChangesFocus(True)
        prompt = QLabel(tr(self.PROMPT))
        prompt.setWordWrap(True)
        prompt.setBuddy(self.reason)
        self.buttons = _buttons(self, tr(self.CONFIRM))
        self.ok = self.buttons.buttons()[0]
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda: self.ok.setEnabled(bool(self.text().strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.reason.toPlainText()


class ReleaseUnpaidDialog(RejectDialog):
    """Why the case may go on with its fee still open (a supervisor's decision, audited)."""

    TITLE, PROMPT, CONFIRM = (
        "release_unpaid.title",
        "release_unpaid.prompt",
        "release_unpaid.confirm",
    )


class AskCitizenDialog(RejectDialog):
    """The question that goes to the citizen by e-mail; the same shape as a rejection."""

    TITLE, PROMPT, CONFIRM = "ask.title", "ask.prompt", "ask.confirm"


class ReassignDialog(QDialog):
    def __init__(self, users: list[User], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("reassign.title"))
        self.target = QComboBox()
        self.target.setAccessibleName(plain(tr("reassign.to")))
        for user in users:
            self.target.addItem(f"{user.display_name} ({user.login})", user.login)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(plain(tr("reassign.reason")))
        form = QFormLayout(self)
        to_label, reason_label = QLabel(tr("reassign.to")), QLabel(tr("reassign.reason"))
        to_label.setBuddy(self.target)
        reason_label.setBuddy(self.reason)
        form.addRow(to_label, self.target)
        form.addRow(reason_label, self.reason)
        form.addRow(_buttons(self, "OK"))

    def login(self) -> str:
        return str(self.target.currentData())


class PaymentDialog(QDialog):
    """The fee taken: the amount due is shown; cash or card go through this seat's till (the
    receipt number is the reference), paid elsewhere or a fee notice take the one typed; a
    reduction takes the new amount and a reason, an exemption the reason."""

    def __init__(self, parent: QWidget | None = None, *, fee_cents: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("payment.title"))
        self.amount = QLabel(tr("payment.amount", amount=format_money(fee_cents)))
        self.amount.setAccessibleName(plain(self.amount.text()))
        self.kind = QComboBox()
        self.kind.setAccessibleName(plain(tr("payment.kind")))
        for way in FEE_WAYS:
            self.kind.addItem(tr(f"payment.way_{way}"), way)
        self.reference = QLineEdit()
        self.reference.setAccessibleName(plain(tr("payment.reference")))
        self.new_fee = QLineEdit()
        self.new_fee.setAccessibleName(plain(tr("payment.new_fee")))
        self.new_fee.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,5}([,.]\d{0,2})?"))
        )
        self.reason = QLineEdit()
        self.reason.setAccessibleName(plain(tr("payment.reason")))
        form = QFormLayout(self)
        labels = [
            QLabel(tr(key))
            for key in ("payment.kind", "payment.reference", "payment.new_fee", "payment.reason")
        ]
        form.addRow(self.amount)
        for label, field in zip(
            labels, (self.kind, self.reference, self.new_fee, self.reason), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        self.buttons = _buttons(self, "OK")
        self.ok = self.buttons.buttons()[0]
        form.addRow(self.buttons)
        self.kind.currentIndexChanged.connect(self._follow)
        for field in (self.reference, self.new_fee, self.reason):
            field.textChanged.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        """At the till the receipt number is the reference: nothing to type; a reduction
        needs its amount and reason, an exemption its reason."""
        way = self.way()
        self.reference.setEnabled(way in ("paid", "fee_notice"))
        self.new_fee.setEnabled(way == "reduced")
        self.reason.setEnabled(way in ("reduced", "exempt"))
        ready = way not in ("reduced", "exempt") or bool(self.reason.text().strip())
        if way == "reduced":
            ready = ready and self.fee_cents() is not None
        self.ok.setEnabled(ready)

    def way(self) -> str:
        return str(self.kind.currentData())

    def fee_cents(self) -> int | None:
        euros, _sep, cents = self.new_fee.text().strip().replace(".", ",").partition(",")
        if not euros.isdigit():
            return None
        return int(euros) * 100 + int((cents or "0").ljust(2, "0")[:2])


class AnswerDialog(QDialog):
    """The citizen's answer that came by phone, at the counter, by mail or letter, or none
    (the clerk goes on without it): the case is back in progress."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(plain(tr("action.record_answer")))
        self.channel = QComboBox()
        for channel in ANSWER_CHANNELS:
            self.channel.addItem(tr(f"answer.channel_{channel}"), channel)
        self.channel.setAccessibleName(plain(tr("answer.channel")))
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName(plain(tr("answer.summary")))
        channel_label, summary_label = QLabel(tr("answer.channel")), QLabel(tr("answer.summary"))
        channel_label.setBuddy(self.channel)
        summary_label.setBuddy(self.summary)
        self.buttons = _buttons(self, tr("answer.confirm"))
        self.ok = self.buttons.buttons()[0]
        self.channel.currentIndexChanged.connect(lambda _index: self._enable())
        self.summary.textChanged.connect(self._enable)
        form = QFormLayout(self)
        form.addRow(channel_label, self.channel)
        form.addRow(summary_label, self.summary)
        form.addRow(self.buttons)
        self._enable()

    def chosen(self) -> str:
        return str(self.channel.currentData())

    def _enable(self) -> None:
        """An answer needs its content; going on without one does not."""
        self.ok.setEnabled(self.chosen() == "none" or bool(self.summary.toPlainText().strip()))


class ApproveDialog(QDialog):
    """Approving takes the next number of the document register and issues the original: one
    key never does it; the clerk confirms (Enter stays on Cancel)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(plain(tr("approve.title")))
        text = QLabel(tr("approve.text"))
        text.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(
            tr("approve.confirm"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel = self.buttons.addButton(
            tr("dialog.cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.buttons)


def ask_save_path(
    parent: QWidget, title: str, suggested: str, file_filter: str = ""
) -> Path | None:
    """Where the person chooses to save, the dialog opened in `save_folder()` with the
    `suggested` name; None when they cancel."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, str(save_folder() / suggested), file_filter
    )
    return Path(chosen) if chosen else None


def save_folder() -> Path:
    """Where a save dialog opens: the clerk's documents folder, never the program's folder
    (the working directory of a program started from the start menu)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()
