"""The interfaces the services need; store/ and integrations/ implement them.

One module per area; every port is importable from `app.ports`."""

from app.ports.audit import AnchorStore, AuditLog, TimestampCheck, Timestamper
from app.ports.cases import CaseBulkLoader, CaseRepository, UserDirectory
from app.ports.documents import (
    DocumentMaker,
    DocumentPrinter,
    DocumentRegister,
    PopulationRegister,
    PrintedJob,
    RegisterConfirmations,
)
from app.ports.intake import (
    AnswerOutbox,
    FormMailbox,
    FormReader,
    IntakeStore,
    Leases,
    PaperIntakeStore,
    QuarantineList,
    SubmissionRecords,
    SubmissionSource,
)
from app.ports.messaging import CitizenNotifier, Mailer, SmsGateway
from app.ports.outbox import Outbox
from app.ports.pickup import PickupBox, PickupRecords
from app.ports.privacy import PersonRecords, RetentionStore, RetrievalLog
from app.ports.reporting import ReportingStore
from app.ports.system import Clock, SecretStore

__all__ = [
    "AnchorStore",
    "AnswerOutbox",
    "AuditLog",
    "CaseBulkLoader",
    "CaseRepository",
    "CitizenNotifier",
    "Clock",
    "DocumentMaker",
    "DocumentPrinter",
    "DocumentRegister",
    "FormMailbox",
    "FormReader",
    "IntakeStore",
    "Leases",
    "Mailer",
    "Outbox",
    "PaperIntakeStore",
    "PersonRecords",
    "PickupBox",
    "PickupRecords",
    "PopulationRegister",
    "PrintedJob",
    "QuarantineList",
    "RegisterConfirmations",
    "ReportingStore",
    "RetentionStore",
    "RetrievalLog",
    "SecretStore",
    "SmsGateway",
    "SubmissionRecords",
    "SubmissionSource",
    "TimestampCheck",
    "Timestamper",
    "UserDirectory",
]
