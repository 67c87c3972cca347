"""The fault banner above the pages: what cannot be done now (database down, a portal error)
and a button to try again; the clerk's input stays where it is."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.i18n import tr


class FaultBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #fff4ce; border: 1px solid #8a6d00; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.retry_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry_button)
        self._retry: Callable[[], None] | None = None
        self.retry_button.clicked.connect(self._do_retry)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.text.setAccessibleName(tr("name.banner"))
        self.retry_button.setText(tr("action.retry"))

    def show_fault(self, text: str, retry: Callable[[], None]) -> None:
        self.text.setText(text)
        self._retry = retry
        self.show()

    def _do_retry(self) -> None:
        retry, self._retry = self._retry, None
        self.hide()
        if retry is not None:
            retry()
