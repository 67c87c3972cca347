"""Typed rows. ORM classes end in `Row`; they never leave a repository. One module per
aggregate; importing this package registers every table on `Base.metadata`."""

from app.store.models.audit import AuditHeadRow, AuditRecordRow
from app.store.models.base import NAMING_CONVENTION, Base, Id, table_of
from app.store.models.cases import (
    AttachmentRow,
    CaseEventRow,
    CaseFactRow,
    CaseRow,
    CaseTokenRow,
    NoteRow,
    OfficeRow,
    ReferenceCounterRow,
    UserRow,
)
from app.store.models.documents import (
    DocumentCounterRow,
    DocumentNumberRow,
    DocumentPrintRow,
    DocumentRow,
    RegisterFactsRow,
)
from app.store.models.intake import IntakeSubmissionRow, LeaseRow
from app.store.models.outage import (
    JournalStateRow,
    MergeConflictRow,
    MergedItemRow,
    NumberBlockRow,
)
from app.store.models.outbox import OutboxMessageRow
from app.store.models.payments import (
    PlatformPaymentRow,
    ReceiptCounterRow,
    TillDayRow,
    TillEntryRow,
)
from app.store.models.pickup import (
    ACTIVE_LOADING_SQL,
    BoxCursorRow,
    BoxEventRow,
    BoxIssueRow,
    BoxLoadingRow,
)
from app.store.models.seat import SeatSettingsRow

__all__ = [
    "ACTIVE_LOADING_SQL",
    "NAMING_CONVENTION",
    "AttachmentRow",
    "AuditHeadRow",
    "AuditRecordRow",
    "Base",
    "BoxCursorRow",
    "BoxEventRow",
    "BoxIssueRow",
    "BoxLoadingRow",
    "CaseEventRow",
    "CaseFactRow",
    "CaseRow",
    "CaseTokenRow",
    "DocumentCounterRow",
    "DocumentNumberRow",
    "DocumentPrintRow",
    "DocumentRow",
    "Id",
    "IntakeSubmissionRow",
    "JournalStateRow",
    "LeaseRow",
    "MergeConflictRow",
    "MergedItemRow",
    "NoteRow",
    "NumberBlockRow",
    "OfficeRow",
    "OutboxMessageRow",
    "PlatformPaymentRow",
    "ReceiptCounterRow",
    "ReferenceCounterRow",
    "RegisterFactsRow",
    "SeatSettingsRow",
    "TillDayRow",
    "TillEntryRow",
    "UserRow",
    "table_of",
]
