"""The payment desk on the configured payment platform (its secret from the keyring)."""

from __future__ import annotations

from app.domain.health import System
from app.integrations.finance_csv import CsvFinanceExport
from app.integrations.notifier import MailAndSms
from app.integrations.payment_platform import XBezahldiensteClient
from app.integrations.secrets import PAYMENT_PLATFORM_SECRET
from app.integrations.settings import Settings
from app.lanes import OnLane, in_place
from app.services.finance import FinanceDesk
from app.services.payments import PaymentDesk
from app.services.till import TillDesk
from app.store.payments import SqlPaymentRepository
from app.store.till import SqlTillJournal
from app.wiring.core import Core, mailer, outbox_sender, sms_gateway
from app.wiring.watched import PAYMENT_CALLS, watched


def payment_platform(core: Core, *, watch: bool = True) -> XBezahldiensteClient | None:
    """The configured platform's client; `watch`: its calls report to the health board
    (not for the board's own probe, which reports itself)."""
    settings: Settings = core.settings
    if not settings.payment_platform_url:
        return None
    secret = (
        core.secrets.optional(PAYMENT_PLATFORM_SECRET) or ""
        if settings.payment_auth in ("basic", "oauth2")
        else ""
    )
    client = XBezahldiensteClient(
        settings.payment_platform_url,
        originator=settings.payment_originator_id,
        endpoint=settings.payment_endpoint_id,
        auth=settings.payment_auth,
        client_id=settings.payment_client_id,
        secret=secret,
        certificate=settings.payment_certificate_file,
        token_url=settings.payment_token_url,
        ca_file=settings.payment_ca_file,
    )
    return watched(client, System.PAYMENT, core.health if watch else None, PAYMENT_CALLS)


def build_payments(core: Core, *, database: OnLane = in_place) -> PaymentDesk:
    """The desk on the configured platform; in the window, `database` is its database lane."""
    notifier = MailAndSms(
        mailer(core.settings, core.secrets, core.health),
        sms_gateway(core.settings, core.secrets, core.health),
    )
    return PaymentDesk(
        payments=SqlPaymentRepository(core.database),
        cases=core.cases,
        audit=core.audit,
        clock=core.clock,
        catalogue=core.catalogue,
        platform=payment_platform(core),
        notifier=notifier,
        outbox=outbox_sender(notifier, core.database, core.clock, on_lane=database),
        redirect_url=core.settings.payment_redirect_url,
        database=database,
    )


def build_till(core: Core) -> TillDesk:
    return TillDesk(journal=SqlTillJournal(core.database), cases=core.cases, clock=core.clock)


def build_finance(core: Core) -> FinanceDesk:
    """ValueError naming the known columns when finance_export_columns names another."""
    settings = core.settings
    return FinanceDesk(
        journal=SqlTillJournal(core.database),
        cases=core.cases,
        catalogue=core.catalogue,
        export=CsvFinanceExport(
            settings.finance_export_columns, settings.finance_export_delimiter or ";"
        ),
    )
