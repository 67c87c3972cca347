"""Issuing originals and recording their printing: approve → issue (numbered, sealed) → print.

The original is made inside the register's transaction, so a seal key that fails or a crash
leaves no document and no gap in the year's numbers. Printing itself happens in the UI's print
lane; this records what was printed, and the first print of an approved case moves it to PRINTED.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.domain.audit import AuditEntry
from app.domain.cases import Case, CaseStatus
from app.domain.catalogue import Catalogue
from app.domain.documents import (
    DocumentKind,
    IssuedDocument,
    Issuer,
    MadeDocument,
    PrintRecord,
    document_content,
    kind_for,
)
from app.domain.users import Role, User
from app.ports import AuditLog, CaseRepository, Clock, DocumentMaker, DocumentRegister

RegisterLookup = Callable[[Case], Mapping[str, str]]
IssuerFor = Callable[[Case, User], Issuer]


def no_register(case: Case) -> Mapping[str, str]:
    """Without a resident-register connection the documents show what the case holds."""
    return {}


class DocumentDesk:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        register: DocumentRegister,
        audit: AuditLog,
        clock: Clock,
        catalogue: Catalogue,
        maker: DocumentMaker,
        issuer_for: IssuerFor,
        register_lookup: RegisterLookup = no_register,
    ) -> None:
        self.cases, self.register, self.audit, self.clock = cases, register, audit, clock
        self.catalogue, self.maker = catalogue, maker
        self.issuer_for, self.register_lookup = issuer_for, register_lookup

    def issue(self, *, user: User, case_id: int) -> IssuedDocument:
        """The original of an approved case, or the notice of a rejected one."""
        user.require(Role.CLERK, "issue document")
        case = self.cases.get(case_id)
        service = self.catalogue.service(case.service_id)
        kind = kind_for(case, service.document)
        now = self.clock.now()
        facts = {"service_name": service.name_de, **self.register_lookup(case)}
        issuer = self.issuer_for(case, user)

        def make(number: str) -> MadeDocument:
            content = document_content(
                case, kind, number=number, issuer=issuer, issued_on=now.date(), register=facts
            )
            return self.maker.make(content)

        return self.register.issue(case, kind, by=user.login, at=now, make=make)

    def printable(self, *, user: User, case_id: int) -> tuple[IssuedDocument, bytes]:
        """The document to print for the case: the one already issued (a reprint then), or a
        new one. Issuing twice would give the citizen two originals with different numbers."""
        case = self.cases.get(case_id)
        kind = kind_for(case, self.catalogue.service(case.service_id).document)
        existing = [d for d in self.register.for_case(case_id) if d.kind is kind]
        document = existing[-1] if existing else self.issue(user=user, case_id=case_id)
        return document, self.pdf(user=user, document_id=document.id)

    def documents(self, *, user: User, case_id: int) -> list[IssuedDocument]:
        user.require(Role.CLERK, "list documents")
        return self.register.for_case(case_id)

    def pdf(self, *, user: User, document_id: int) -> bytes:
        user.require(Role.CLERK, "open document")
        document = self.register.get(document_id)
        self.audit.append(
            AuditEntry(user.login, "document.viewed", document.number, "", self.clock.now())
        )
        return self.register.pdf(document_id)

    def record_print(
        self, *, user: User, document_id: int, printer: str, pages: int, copies: int
    ) -> PrintRecord:
        """What the printer took. The first print of an approved case's original moves the case
        to PRINTED in the same transaction; later ones are reprints, counted and marked."""
        user.require(Role.CLERK, "print document")
        document = self.register.get(document_id)
        case = self.cases.get(document.case_id)
        now = self.clock.now()
        record = PrintRecord(
            document_id=document_id,
            printer=printer,
            at=now,
            by=user.login,
            pages=pages,
            copies=copies,
            reprint=document.prints > 0,
        )
        transition = None
        if case.status is CaseStatus.APPROVED and document.kind is not (
            DocumentKind.ABLEHNUNGSBESCHEID
        ):
            changed, event = case.mark_printed(user, now, record.describe())
            transition = (changed, event, case.version)
        return self.register.record_print(record, transition)

    def prints(self, *, user: User, document_id: int) -> list[PrintRecord]:
        user.require(Role.CLERK, "list prints")
        return self.register.prints(document_id)
