"""The shell's pages as one list: each registers its tab, its Ctrl+<number> jump, what it does
once the clerk is signed in (`start`), how it reaches the rest of the window (`connect`, run at
once) and how it changes language (`retranslate`). A new page is one `PageSet.add` call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from ui.i18n import tr

S = TypeVar("S")  # what a page's start is given: the signed-in window's state


@dataclass(frozen=True)
class Page(Generic[S]):
    key: str  # its tab's text key, and its name for show_page
    widget: QWidget
    start: Callable[[S], None] | None = None
    retranslate: Callable[[], None] | None = None


class PageSet(Generic[S]):
    """The tabs of the shell and their pages' hooks."""

    def __init__(self, owner: QWidget) -> None:
        self.owner = owner
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pages")
        self.pages: list[Page[S]] = []

    @property
    def keys(self) -> list[str]:
        return [page.key for page in self.pages]

    def add(
        self,
        key: str,
        widget: QWidget,
        *,
        start: Callable[[S], None] | None = None,
        connect: Callable[[], None] | None = None,
        retranslate: Callable[[], None] | None = None,
    ) -> None:
        self.pages.append(Page(key, widget, start, retranslate))
        index = self.tabs.addTab(widget, tr(key))
        jump = QAction(self.owner)
        jump.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        jump.triggered.connect(lambda: self.tabs.setCurrentIndex(index))
        self.owner.addAction(jump)
        if connect is not None:
            connect()

    def show(self, key: str) -> None:
        self.tabs.setCurrentIndex(self.keys.index(key))

    def start(self, state: S) -> None:
        """After the first sign-in: each page's start, in the order they were added."""
        for page in self.pages:
            if page.start is not None:
                page.start(state)

    def retranslate(self) -> None:
        self.tabs.setAccessibleName(tr("name.pages"))
        for index, page in enumerate(self.pages):
            self.tabs.setTabText(index, tr(page.key))
            if page.retranslate is not None:
                page.retranslate()
