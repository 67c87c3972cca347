"""The window's commands: one QAction each, with its shortcut, in the menu bar and the toolbar.
The shell gives each command's slot; the tables here say where it appears."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from ui.i18n import plain, tr

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None

SHORTCUTS: dict[str, Shortcut] = {
    "action.new": QKeySequence.StandardKey.New,
    "action.find": QKeySequence.StandardKey.Find,
    "action.refresh": QKeySequence.StandardKey.Refresh,
    "action.print": QKeySequence.StandardKey.Print,
    "action.verify": "Ctrl+Shift+P",
    "action.forms": "Ctrl+Shift+F",
    "action.admin": "Ctrl+Shift+B",
    "action.till": "Ctrl+Shift+K",
    "action.payment_link": "Ctrl+Shift+Z",
    "action.language": "Ctrl+Shift+L",
    "action.shortcuts": "F1",
    "action.quit": "Ctrl+Q",  # Qt's Quit key is empty on Windows
}
# menu → its commands in order (None: a separator; "intake": the pull and the quarantine)
MENUS: dict[str, list[str | None]] = {
    "menu.file": ["action.new", "action.forms", "action.verify", None, "action.quit"],
    "menu.case": [
        "action.find",
        "intake",
        "action.print",
        "action.payment_link",
        "action.till",
        "action.refresh",
    ],
    "menu.view": ["action.language"],
    "menu.admin": ["action.admin"],
    "menu.help": ["action.shortcuts"],
}
TOOLBAR: list[str | None] = [
    "action.new",
    "intake",
    "action.refresh",
    None,
    "action.print",
    "action.verify",
    "action.forms",
    "action.admin",
    "action.language",
]


class Commands:
    """The actions by text key, the menus by title key and the toolbar, built on `window`."""

    def __init__(
        self,
        window: QMainWindow,
        slots: Mapping[str, Callable[[], object]],
        *,
        intake: Sequence[QAction] = (),
    ) -> None:
        self.actions: dict[str, QAction] = {}
        for key, shortcut in SHORTCUTS.items():
            action = QAction(window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slots[key])
            self.actions[key] = action
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("toolbar")
        window.addToolBar(self.toolbar)
        for entry in TOOLBAR:
            if entry is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addActions(self._entry(entry, intake))
        self.menus: dict[str, QMenu] = {}
        for title, entries in MENUS.items():
            menu = window.menuBar().addMenu("")
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addActions(self._entry(entry, intake))
            self.menus[title] = menu

    def _entry(self, key: str, intake: Sequence[QAction]) -> list[QAction]:
        return list(intake) if key == "intake" else [self.actions[key]]

    def with_shortcuts(
        self, extra: Sequence[QAction] = (), pages: Sequence[str] = ()
    ) -> list[tuple[str, str]]:
        """(what, keys) of every command that has keys, and of the pages (Ctrl+1, ...), for
        the overview (F1)."""
        rows = []
        for action in [*self.actions.values(), *extra]:
            if action.isVisible() and not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((plain(action.text()), keys))
        for index, key in enumerate(pages):
            keys = QKeySequence(f"Ctrl+{index + 1}").toString(
                QKeySequence.SequenceFormat.NativeText
            )
            rows.append((tr("shortcuts.page", page=plain(tr(key))), keys))
        return rows

    def retranslate(self) -> None:
        for key, action in self.actions.items():
            action.setText(tr(key))
        for key, menu in self.menus.items():
            menu.setTitle(tr(key))
        self.toolbar.setWindowTitle(tr("toolbar.name"))
