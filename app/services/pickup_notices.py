"""The citizen's notices about the box: a fresh code (verifiers to the box, its keyed hash to
us, the code by mail with its QR and by SMS), retried at every sync until one reaches them;
the reminder before the deadline."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from app.domain.notices import Citizen, pickup_code_notice, pickup_reminder_notice
from app.domain.pickup import (
    Loading,
    LoadingState,
    LoadingStep,
    new_code,
)
from app.domain.pickup_mail import BoxPlace
from app.services.outbox import messages_to
from app.services.pickup_base import PickupBase, SyncReport

log = logging.getLogger(__name__)


class BoxNotices(PickupBase):
    def _issue_code(self, loading: Loading, *, actor: str, renewed: bool = False) -> Loading:
        """A fresh code: verifiers to the box, its keyed hash to us, the code to the citizen.
        If neither mail nor text goes out the notice stays pending and the next sync issues
        another code (the code is not kept to send it again)."""
        case = self.database(self.cases.get, loading.case_id)
        deadline, birth_date = loading.deadline, case.applicant.birth_date
        assert deadline is not None and birth_date is not None  # loaded; eligible
        code = new_code()
        self.box(loading.office_code).register_item(
            loading.compartment,
            reference=loading.reference,
            code=code,
            second_factor=birth_date.isoformat(),
            deadline=deadline,
        )
        loading = self.database(
            self.records.change,
            loading,
            LoadingStep.CODE_RENEWED if renewed else LoadingStep.CODE_ISSUED,
            actor=actor,
            at=self.clock.now(),
            detail=f"{loading.office_code} Fach {loading.compartment}",
            code_digest=self.code_digest(code),
        )
        notice = pickup_code_notice(
            language=self.language,
            reference=loading.reference,
            service=self.catalogue.service(case.service_id).name(self.language),
            code=code,
            place=self.place(loading.office_code),
            deadline=deadline,
            renewed=renewed,
        )
        channels = self.notifier.send(Citizen.of(case), notice)
        if channels:
            loading = self.database(
                self.records.change,
                loading,
                LoadingStep.CODE_SENT,
                actor=actor,
                at=self.clock.now(),
                detail=", ".join(channels),
            )
        return loading

    def place(self, office: str) -> BoxPlace:
        if self._known_places is None:
            self._known_places = self._places()
        return self._known_places[office]

    def code_digest(self, code: str) -> str:
        return hmac.new(self._code_key(), code.encode(), hashlib.sha256).hexdigest()

    def code_matches(self, loading_id: int, code: str) -> bool:
        """Whether a code a citizen shows at the counter is the item's current one."""
        return hmac.compare_digest(
            self.database(self.records.code_digest, loading_id), self.code_digest(code)
        )

    def _notices(self, office: str, report: SyncReport) -> None:
        now = self.clock.now()
        for loading in self.database(self.records.active, office):
            if loading.state is LoadingState.LOADED:  # no code reached the citizen yet
                self._issue_code(loading, actor=f"box:{office}", renewed=True)
                continue
            if loading.state is not LoadingState.CODE_SENT or loading.deadline is None:
                continue
            due = loading.reminded_at is None and self.calendar.reminder_due(
                loading.deadline, now, self.rules.reminder_days_before
            )
            if due and self._remind(loading, office, now):
                report.reminders.append(loading.reference)
        if self.outbox is not None:  # what it queued now, and what waits from before
            self.outbox.send_due()

    def _remind(self, loading: Loading, office: str, now: dt.datetime) -> bool:
        """The reminder before the deadline: stored in the outbox with the loading's step (one
        transaction: never two reminders, never none), sent by the outbox's worker; without
        an outbox (a desk built on its own) sent at once, and again at the next sync if it
        reached nobody."""
        assert loading.deadline is not None  # sent codes have one
        case = self.database(self.cases.get, loading.case_id)
        notice = pickup_reminder_notice(
            language=self.language,
            reference=loading.reference,
            service=self.catalogue.service(case.service_id).name(self.language),
            place=self.place(office),
            deadline=loading.deadline,
        )
        if self.outbox is None:
            channels = self.notifier.send(Citizen.of(case), notice)
            messages = []
        else:
            messages = messages_to(case, notice, self.notifier)
            channels = [message.channel.label for message in messages]
        if not channels:
            return False
        self.database(
            self.records.change,
            loading,
            LoadingStep.REMINDED,
            actor=f"box:{office}",
            at=now,
            detail=", ".join(channels),
            reminded_at=now,
            messages=messages,
        )
        return True
