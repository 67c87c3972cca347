"""The admin's dialog for users, roles and offices. Saving goes through the staff use cases,
which check the admin role themselves."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.users import Office, Role, User
from ui.i18n import plain, tr
from ui.walk_in_dialog import ERROR_STYLE


class AdminDialog(QDialog):
    """Lists users; edits or adds one; renames offices. Emits save requests, shows the outcome."""

    save_user_requested = Signal(dict)
    save_office_requested = Signal(str, str)

    def __init__(
        self, users: list[User], offices: list[Office], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("admin.title"))
        self.resize(720, 520)
        self._offices = offices
        self.user_list = QListWidget()
        self.user_list.setAccessibleName(tr("admin.users"))
        self.login = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(tr(f"role.{role.value}"), role.value)
        self.office = QComboBox()
        self.active = QCheckBox(tr("admin.active"))
        self.active.setChecked(True)
        form = QFormLayout()
        for key, widget in (
            ("admin.login", self.login),
            ("admin.name", self.display_name),
            ("admin.role", self.role),
            ("admin.office", self.office),
        ):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            widget.setAccessibleName(plain(tr(key)))
            form.addRow(label, widget)
        form.addRow("", self.active)
        self.save_user_button = QPushButton(tr("admin.save_user"))
        self.save_user_button.clicked.connect(self._save_user)
        form.addRow("", self.save_user_button)
        users_box = QGroupBox(tr("admin.users"))
        users_layout = QHBoxLayout(users_box)
        users_layout.addWidget(self.user_list, 1)
        users_layout.addLayout(form, 1)

        self.office_list = QComboBox()
        self.office_list.setAccessibleName(plain(tr("admin.office")))
        self.office_name = QLineEdit()
        self.office_name.setAccessibleName(plain(tr("admin.office_name")))
        save_office = self.save_office_button = QPushButton(tr("admin.save_office"))
        save_office.clicked.connect(
            lambda: self.save_office_requested.emit(
                str(self.office_list.currentData()), self.office_name.text()
            )
        )
        self.office_list.currentIndexChanged.connect(self._office_selected)
        offices_box = QGroupBox(tr("admin.offices"))
        offices_layout = QHBoxLayout(offices_box)
        offices_layout.addWidget(self.office_list)
        offices_layout.addWidget(self.office_name, 1)
        offices_layout.addWidget(save_office)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("name.message"))
        close = QDialogButtonBox()
        close.addButton(tr("dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(users_box, 1)
        layout.addWidget(offices_box)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.user_list.currentRowChanged.connect(self._user_selected)
        self.show_data(users, offices)

    def show_data(self, users: list[User], offices: list[Office]) -> None:
        self._users, self._offices = users, offices
        self.user_list.clear()
        for user in users:
            state = "" if user.active else f" – {tr('admin.inactive')}"
            self.user_list.addItem(
                f"{user.login} · {user.display_name} · {tr(f'role.{user.role.value}')}{state}"
            )
        for combo in (self.office, self.office_list):
            combo.blockSignals(True)
            combo.clear()
            for office in offices:
                combo.addItem(
                    f"{office.code} – {office.name}",
                    office.code if combo is self.office_list else office.id,
                )
            combo.blockSignals(False)
        self._office_selected()

    def _user_selected(self, row: int) -> None:
        if not 0 <= row < len(self._users):
            return
        user = self._users[row]
        self.login.setText(user.login)
        self.display_name.setText(user.display_name)
        self.role.setCurrentIndex(self.role.findData(user.role.value))
        self.office.setCurrentIndex(self.office.findData(user.office_id))
        self.active.setChecked(user.active)

    def _office_selected(self) -> None:
        code = self.office_list.currentData()
        office = next((o for o in self._offices if o.code == code), None)
        self.office_name.setText(office.name if office else "")

    def _save_user(self) -> None:
        if not self.login.text().strip() or not self.display_name.text().strip():
            self.show_message(tr("admin.missing"), error=True)
            return
        self.save_user_requested.emit(
            {
                "login": self.login.text().strip(),
                "display_name": self.display_name.text().strip(),
                "role": str(self.role.currentData()),
                "office_id": int(self.office.currentData()),
                "active": self.active.isChecked(),
            }
        )

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
