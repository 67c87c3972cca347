"""Contrast of every colour pair the window draws (WCAG 2.1 AA, BITV 2.0): computed, not
eyeballed; and the palette the application really runs with uses them."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.main_window import MainWindow


@pytest.mark.parametrize(
    ("foreground", "background", "minimum", "what"), theme.PAIRS, ids=[p[3] for p in theme.PAIRS]
)
def test_every_colour_pair_meets_its_contrast(
    foreground: str, background: str, minimum: float, what: str
) -> None:
    assert theme.contrast(foreground, background) >= minimum, what


def test_the_contrast_formula_matches_wcags_examples() -> None:
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert theme.contrast("#ffffff", "#3d8ee6") < 4.5  # a light selection blue fails


def test_the_running_palette_is_the_checked_one(window: MainWindow) -> None:
    palette = QApplication.instance().palette()  # type: ignore[union-attr]
    pairs = (
        (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
        (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
        (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base),
        (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
        (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
    )
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text, back in pairs:
            ratio = theme.contrast(
                palette.color(group, text).name(), palette.color(group, back).name()
            )
            assert ratio >= 4.5, (group, text, back, ratio)
    assert ":focus" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
