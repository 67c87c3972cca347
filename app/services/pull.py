"""One pull brings in everything that arrived: the paper channel's forms (scan folder,
mailbox), then the portal's submissions. Either may be switched off on a seat."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.errors import DomainError
from app.services.form_import import PaperChannel
from app.services.intake import Intake, IntakeResult

MAX_BACKOFF_S = 15 * 60  # while the portal or the database is down, wait at most this long


class Pull:
    def __init__(self, *, intake: Intake | None, paper: PaperChannel | None) -> None:
        self.intake, self.paper = intake, paper

    def run_once(
        self,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] = lambda: False,
    ) -> IntakeResult:
        """The paper channel first: it needs no portal, and an unreachable mailbox is reported
        in the result while the portal is still pulled. A portal failure raises."""
        result = IntakeResult(portal=self.intake is not None)
        if self.paper is not None:
            try:
                forms = self.paper.run_once()
            except DomainError as error:
                result.paper_problem = error
            else:
                result.forms = len(forms.imported)
                result.received += len(forms.imported)
                result.quarantined += len(forms.quarantined)
                result.cases.extend(forms.imported)
        if self.intake is not None and not stop():
            online = self.intake.run_once(progress, stop)
            online.forms, online.paper_problem = result.forms, result.paper_problem
            online.received += result.received
            online.quarantined += result.quarantined
            online.cases[:0] = result.cases
            return online
        return result
