"""The window's colours and focus marks, chosen for WCAG 2.1 AA (BITV 2.0): text 4.5:1 against
its background, focus rings and field borders 3:1, and focus always drawn, not only hinted.
tests/ui/test_theme.py computes every pair."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

TEXT = "#1a1a1a"
WINDOW = "#f3f3f3"
BASE = "#ffffff"
ALTERNATE = "#eef3f8"
BUTTON = "#e6e6e6"
SELECTION = "#0a4f8f"  # white on it: 8.6:1 (the default blue with white was 3.7:1)
PLACEHOLDER = "#595959"  # 7:1 on white (the default grey was about 4.0:1)
DISABLED = "#6b6b6b"
FOCUS = "#0a4f8f"
ITEM_FOCUS_BORDER = 2  # px: the frame round a table's current cell
# px a column fitted to its content keeps beside it, so the framed cell is not elided
FOCUS_ROOM = 2 * ITEM_FOCUS_BORDER + 4
BORDER = "#767676"  # a field's edge: 4.5:1 on white
ERROR = "#a30000"
TOOLTIP = "#fffbe0"

# (foreground, background, minimum ratio, what) — every pair the window draws text or a
# boundary with; the test checks them all
PAIRS: tuple[tuple[str, str, float, str], ...] = (
    (TEXT, WINDOW, 4.5, "text on the window"),
    (TEXT, BASE, 4.5, "text in fields and tables"),
    (TEXT, ALTERNATE, 4.5, "text on alternate rows"),
    (TEXT, BUTTON, 4.5, "button text"),
    ("#ffffff", SELECTION, 4.5, "selected row"),
    (PLACEHOLDER, BASE, 4.5, "placeholder text"),
    (ERROR, BASE, 4.5, "error text in a form"),
    (ERROR, WINDOW, 4.5, "error text on the window"),
    (TEXT, TOOLTIP, 4.5, "tooltip"),
    (TEXT, "#fff4ce", 4.5, "fault banner"),
    (FOCUS, BASE, 3.0, "focus ring on a field"),
    (FOCUS, WINDOW, 3.0, "focus ring on a button"),
    (BORDER, BASE, 3.0, "field border"),
)

STYLE = f"""
QLineEdit, QPlainTextEdit, QComboBox, QSpinBox {{
    border: 1px solid {BORDER}; border-radius: 2px; padding: 2px 4px; background: {BASE};
}}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus {{
    border: 2px solid {FOCUS}; padding: 1px 3px;
}}
QPushButton {{
    border: 1px solid {BORDER}; border-radius: 3px; padding: 4px 12px; background: {BUTTON};
    color: {TEXT};
}}
QPushButton:default {{ border: 2px solid {BORDER}; padding: 3px 11px; }}
QPushButton:focus {{ border: 3px solid {FOCUS}; padding: 2px 10px; }}
QPushButton:disabled {{ color: {DISABLED}; }}
QTableView:focus, QTableWidget:focus, QListWidget:focus, QScrollArea:focus {{
    border: 2px solid {FOCUS};
}}
QTableView::item:focus, QListWidget::item:focus {{
    border: {ITEM_FOCUS_BORDER}px solid {FOCUS};
}}
QTabBar::tab {{
    border: 1px solid {BORDER}; border-bottom: none; padding: 4px 12px; margin-right: 2px;
    background: {BUTTON}; color: {TEXT};
}}
QTabBar::tab:selected {{ background: {BASE}; }}
QTabBar::tab:focus {{ border: 2px solid {FOCUS}; border-bottom: none; padding: 3px 11px; }}
QCheckBox:focus {{ border: 2px solid {FOCUS}; }}
"""


def palette() -> QPalette:
    colours = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: ALTERNATE,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: BUTTON,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: SELECTION,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: PLACEHOLDER,
        QPalette.ColorRole.ToolTipBase: TOOLTIP,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.Link: SELECTION,
    }
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(QPalette.ColorGroup.All, role, QColor(colour))
    # an inactive window keeps its selection readable (Qt greys it out by default)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED))
    return result


def apply_theme() -> None:
    """Idempotent: the window applies it at construction (tests build windows directly)."""
    application = QApplication.instance()
    assert isinstance(application, QApplication), "the theme needs the application"
    if application.property("buergerbuero_theme"):
        return
    application.setStyle("Fusion")  # the same look on Windows and Linux, styleable
    application.setPalette(palette())
    application.setStyleSheet(STYLE)
    application.setProperty("buergerbuero_theme", True)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""

    def luminance(colour: str) -> float:
        rgb = QColor(colour)

        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(rgb.red())
            + 0.7152 * channel(rgb.green())
            + 0.0722 * channel(rgb.blue())
        )

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
