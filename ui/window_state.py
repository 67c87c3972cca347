"""What the window remembers between starts: its size and place, the splitter between inbox
and case, the inbox's column widths and order. Read on the database lane with the sign-in
(a file is I/O), applied on the GUI thread, written when the window closes."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

KEYS = ("geometry", "splitter", "columns")


def read_state(path: Path | None) -> dict[str, bytes]:
    """The saved state, or nothing (no file, a damaged one: the defaults then)."""
    if path is None or not path.exists():
        return {}
    try:
        stored = json.loads(path.read_text("utf-8"))
        return {key: b64decode(stored[key]) for key in KEYS if key in stored}
    except (OSError, ValueError, TypeError):
        return {}


def apply_state(
    state: dict[str, bytes], window: QMainWindow, splitter: QSplitter, header: QHeaderView
) -> None:
    if "geometry" in state:
        window.restoreGeometry(QByteArray(state["geometry"]))
    if "splitter" in state:
        splitter.restoreState(QByteArray(state["splitter"]))
    if "columns" in state:
        header.restoreState(QByteArray(state["columns"]))
    fit_to_screen(window)


def fit_to_screen(window: QMainWindow) -> None:
    """Never larger than the screen it opens on (150 % fonts made it 2250x1350 on a
    1600x1000 screen): shrink to what is available, keeping it on screen."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    width = min(frame.width(), available.width())
    height = min(frame.height(), available.height())
    if (width, height) != (frame.width(), frame.height()):
        window.resize(
            width - (frame.width() - window.width()), height - (frame.height() - window.height())
        )
    if not available.contains(window.frameGeometry().topLeft()):
        window.move(available.topLeft())


def write_state(
    path: Path | None, window: QMainWindow, splitter: QSplitter, header: QHeaderView
) -> None:
    if path is None:
        return
    state = {
        "geometry": window.saveGeometry(),
        "splitter": splitter.saveState(),
        "columns": header.saveState(),
    }
    encoded = {key: b64encode(bytes(value.data())).decode("ascii") for key, value in state.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(encoded), "utf-8")
    except OSError:
        pass  # a read-only profile: the window opens with the defaults next time
