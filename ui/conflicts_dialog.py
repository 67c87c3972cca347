"""The supervisors' list of what a merge after an outage did not decide: each conflict with
both sides as they were (the central database's and the seat journal's), and the decision a
supervisor records once they have put it right on the cases (nothing is changed here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import suppress

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import CaseStatus
from app.domain.outage import Conflict
from ui.i18n import action_text, format_moment, status_text, tr

COLUMNS = (
    "conflicts.kind",
    "conflicts.reference",
    "conflicts.seat",
    "conflicts.found",
    "conflicts.central",
    "conflicts.journal",
)


def side(values: dict[str, object]) -> str:
    """One side as a clerk reads it: the case, its state and assignee, its version (how many
    changes it has had), when it came in, and what the seat did offline."""
    if not values:
        return tr("conflicts.side.none")
    parts = [str(values.get("reference", ""))]
    with suppress(ValueError):
        parts.append(status_text(CaseStatus(str(values.get("status")))))
    if values.get("assignee"):
        parts.append(tr("conflicts.side.assignee", login=values["assignee"]))
    if values.get("version") is not None:
        parts.append(tr("conflicts.side.version", version=values["version"]))
    with suppress(TypeError, ValueError):
        received = dt.datetime.fromisoformat(str(values.get("received_at")))
        parts.append(tr("conflicts.side.received", at=format_moment(received)))
    if isinstance(events := values.get("events"), list) and events:
        actions = ", ".join(action_text(str(action)) for action in events)
        parts.append(tr("conflicts.side.offline", actions=actions))
    return " · ".join(part for part in parts if part)


class ConflictsDialog(QDialog):
    """`resolve(conflict, text)` is the caller's (database lane); `reload()` fills the list."""

    def __init__(
        self,
        *,
        load: Callable[[Callable[[list[Conflict]], None]], None],
        resolve: Callable[[Conflict, str, Callable[[], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("conflicts.title"))
        self.resize(1100, 480)
        self._load, self._resolve = load, resolve
        self.conflicts: list[Conflict] = []
        intro = QLabel(tr("conflicts.intro"))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(key) for key in COLUMNS])
        self.table.setAccessibleName(tr("conflicts.title"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.decision = QLineEdit()
        self.decision.setPlaceholderText(tr("conflicts.decision_hint"))
        decision_label = QLabel(tr("conflicts.decision"))
        decision_label.setBuddy(self.decision)
        self.resolve_button = QPushButton(tr("conflicts.resolve"))
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.message = QLabel()
        buttons = QDialogButtonBox()
        close = buttons.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(decision_label)
        layout.addWidget(self.decision)
        layout.addWidget(self.resolve_button)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def reload(self) -> None:
        self._load(self.show_conflicts)

    def show_conflicts(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, conflict in enumerate(conflicts):
            texts = (
                tr(f"conflicts.kind.{conflict.kind.value}"),
                conflict.reference,
                conflict.seat,
                format_moment(conflict.found_at),
                side(conflict.central),
                side(conflict.local),
            )
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.message.setText(tr("conflicts.count", count=len(conflicts)))
        self.resolve_button.setEnabled(bool(conflicts))

    def resolve_selected(self) -> None:
        row, text = self.table.currentRow(), self.decision.text().strip()
        if not 0 <= row < len(self.conflicts) or not text:
            self.message.setText(tr("conflicts.pick"))
            return
        self.decision.clear()
        self._resolve(self.conflicts[row], text, self.reload)
