"""The real window at whatever scale factor it is given: prints the screen's and the window's
geometry once the inbox is shown."""

from __future__ import annotations

import sys
from collections.abc import Callable

from tests.support.real_window import run_window


def report(window: object, finish: Callable[[dict[str, object]], None]) -> None:
    screen = window.screen().availableGeometry()  # type: ignore[attr-defined]
    frame = window.frameGeometry()  # type: ignore[attr-defined]
    finish(
        {
            "scale": window.devicePixelRatioF(),  # type: ignore[attr-defined]
            "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        }
    )


if __name__ == "__main__":
    # the window's own first size, in logical pixels; the start fits it to the screen
    sys.exit(run_window(report, size=(1500, 900)))
