"""Qt's own texts (file dialogs, OK/Cancel, context menus) in the clerk's language: the
translations PySide6 ships, installed for German and removed for English."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_installed: list[QTranslator] = []


def use_qt_language(language: str) -> bool:
    """True when Qt's texts are now in `language` (English needs no translator)."""
    application = QApplication.instance()
    assert isinstance(application, QApplication), "Qt's texts need the application"
    for translator in _installed:
        application.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(
        QLocale(QLocale.Language.German if language == "de" else QLocale.Language.English)
    )
    if language == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in ("qtbase", "qt"):
        translator = QTranslator(application)
        if translator.load(f"{catalogue}_{language}", folder):
            application.installTranslator(translator)
            _installed.append(translator)
    return bool(_installed)
