"""Typing a scanned paper form's data: the scan beside the service's form, validated as the
clerk types, exactly as at the counter. The service is the one the form's marker named; the
dialog stays open with everything typed until the data is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QLabel, QWidget

from app.domain.catalogue import Catalogue
from app.domain.users import Office
from ui.attachment_viewer import DecodedAttachment, page_view
from ui.i18n import tr
from ui.walk_in_dialog import WalkInDialog


class DataEntryDialog(WalkInDialog):
    """Emits `submitted(service_id, form, office_id)` like the walk-in dialog; the caller
    stores the data and calls `saved()` or `save_failed(text)`."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        office: Office,
        service_id: str,
        reference: str,
        scan: DecodedAttachment | None,
        today: Callable[[], dt.date],
        values: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            catalogue=catalogue,
            offices=[office],
            office_id=office.id,
            today=today,
            parent=parent,
            values=values,
        )
        self.setWindowTitle(tr("entry.title", reference=reference))
        self.setAccessibleName(self.windowTitle())
        self.service.setCurrentIndex(max(0, self.service.findData(service_id)))
        self.service.setEnabled(False)  # the form's marker named it
        self.office.setEnabled(False)
        self.next_button.hide()
        self.create_button.setText(tr("entry.save"))
        self.scan: QWidget
        if scan is not None and scan.pages:
            self.scan = page_view(scan)
        else:  # the scan cannot be shown here: the clerk opens it from the case
            self.scan = QLabel(tr("entry.no_scan"))
            self.scan.setWordWrap(True)
        self.scan.setAccessibleName(tr("entry.scan"))
        self.scan.setMinimumWidth(520)
        self.columns.insertWidget(0, self.scan, 1)
        self.resize(1280, 900)
