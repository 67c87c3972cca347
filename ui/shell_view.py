"""The shell's layout: the fault banner above the pages, the cases page as the inbox beside the
case, the status bar's user and count labels. Layout only; `ui.main_window` wires it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui.banner import FaultBanner
from ui.pages import PageSet
from ui.startup import Startup


class ShellView:
    """The parts of the window's layout, put into `window`."""

    def __init__(self, window: QMainWindow, inbox: QWidget, case_view: QWidget) -> None:
        self.banner = FaultBanner()
        self.splitter = QSplitter()
        self.splitter.addWidget(inbox)
        self.splitter.addWidget(case_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 600])
        self.page_set: PageSet[Startup] = PageSet(window)
        central = QWidget()
        layout = self.layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.page_set.tabs, 1)
        window.setCentralWidget(central)
        self.user_label = QLabel()
        self.count_label = QLabel()
        window.statusBar().addWidget(self.user_label)
        window.statusBar().addPermanentWidget(self.count_label)
        self.labels = (self.user_label, self.count_label)

    def add_banner(self, banner: QWidget) -> None:
        """Another banner above the pages (the offline one), first."""
        self.layout.insertWidget(0, banner)
