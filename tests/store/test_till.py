"""The counter till on the real store, SQLite and PostgreSQL: cash and card bookings with
gap-free receipt numbers that settle the case's fee; a cancellation is a counter-booking that
opens the fee again, once; the day's closing with expected and counted cash, a difference
explained; four eyes on the confirmation; no booking into a closed day."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.cases import PaymentState
from app.domain.errors import DomainError
from app.domain.till import DayState, TillMethod
from app.domain.users import User
from app.integrations.finance_csv import CsvFinanceExport, read_back
from app.services.till import TillDesk
from app.wiring import Core, build_finance, build_till
from tests.conftest import FixedClock, meldebescheinigung_form

COUNTER = "Theke-3"


@pytest.fixture
def till(core: Core) -> TillDesk:
    return build_till(core)


def paper_case(core: Core, clerk: User) -> int:
    return core.desk.open_walk_in(
        user=clerk,
        service_id="meldebescheinigung_einfach",
        form=meldebescheinigung_form(delivery="paper"),
        claim=True,
    ).id


def test_bookings_settle_the_fee_and_number_their_receipts(
    core: Core, staff: dict[str, User], till: TillDesk
) -> None:
    clerk = staff["clerk"]
    first, second = paper_case(core, clerk), paper_case(core, clerk)
    cash = till.pay(user=clerk, case_id=first, method=TillMethod.CASH, counter=COUNTER)
    card = till.pay(user=clerk, case_id=second, method=TillMethod.CARD, counter=COUNTER)
    assert (cash.receipt, card.receipt) == ("SI-Q-2026-000001", "SI-Q-2026-000002")
    paid = core.cases.get(first)
    assert paid.payment is PaymentState.PAID and paid.payment_reference == cash.receipt
    with pytest.raises(DomainError) as twice:
        till.pay(user=clerk, case_id=first, method=TillMethod.CASH, counter=COUNTER)
    assert twice.value.key == "payment.nothing_due"
    view = till.view(office_id=paid.office_id, counter=COUNTER)
    assert (view.totals.cash_cents, view.totals.card_cents, view.totals.bookings) == (900, 900, 2)
    actions = [record.entry.action for record in core.audit.records()]
    assert actions.count("till.book") == 2 and core.audit.verify() == []


def test_a_cancellation_is_a_counter_booking_and_opens_the_fee_once(
    core: Core, staff: dict[str, User], till: TillDesk
) -> None:
    clerk = staff["clerk"]
    case_id = paper_case(core, clerk)
    entry = till.pay(user=clerk, case_id=case_id, method=TillMethod.CASH, counter=COUNTER)
    counter_booking = till.cancel(
        user=clerk, entry_id=entry.id, reason="falscher Betrag", counter=COUNTER
    )
    assert counter_booking.amount_cents == -900 and counter_booking.cancels == entry.id
    assert core.cases.get(case_id).payment is PaymentState.OPEN
    assert till.journal.entry(entry.id) == entry  # never edited
    for again in (entry.id, counter_booking.id):
        with pytest.raises(DomainError):
            till.cancel(user=clerk, entry_id=again, reason="nochmal", counter=COUNTER)
    view = till.view(office_id=entry.office_id, counter=COUNTER)
    assert (view.totals.cash_cents, view.totals.bookings, view.totals.cancellations) == (0, 1, 1)


def test_closing_the_day_four_eyes_and_no_booking_after(
    core: Core, staff: dict[str, User], till: TillDesk, clock: FixedClock
) -> None:
    clerk, other, supervisor = staff["clerk"], staff["clerk2"], staff["supervisor"]
    office = core.cases.get(paper_case(core, clerk)).office_id
    for _ in range(3):
        till.pay(
            user=clerk, case_id=paper_case(core, clerk), method=TillMethod.CASH, counter=COUNTER
        )
    with pytest.raises(DomainError) as unexplained:
        till.close_day(user=clerk, office_id=office, counter=COUNTER, counted_cents=2650)
    assert unexplained.value.key == "till.difference_needs_note"
    closed = till.close_day(
        user=clerk,
        office_id=office,
        counter=COUNTER,
        counted_cents=2650,
        note="1 € Wechselgeld fehlt",
    )
    assert (closed.expected_cash_cents, closed.counted_cash_cents) == (2700, 2650)
    assert closed.difference_cents == -50 and closed.state is DayState.CLOSED
    with pytest.raises(DomainError) as late:
        till.pay(
            user=clerk, case_id=paper_case(core, clerk), method=TillMethod.CASH, counter=COUNTER
        )
    assert late.value.key == "till.day_closed"
    with pytest.raises(DomainError) as again:
        till.close_day(user=other, office_id=office, counter=COUNTER, counted_cents=2700)
    assert again.value.key == "till.day_closed"
    with pytest.raises(DomainError) as own:  # who took the payments cannot confirm them
        till.confirm_day(user=clerk, office_id=office, counter=COUNTER)
    assert own.value.key == "till.confirm_own"
    confirmed = till.confirm_day(user=supervisor, office_id=office, counter=COUNTER)
    assert confirmed.state is DayState.CONFIRMED and confirmed.confirmed_by == "t.leitung"
    clock.advance(days=1)  # the next day is a day of its own
    tomorrow = till.pay(
        user=clerk, case_id=paper_case(core, clerk), method=TillMethod.CASH, counter=COUNTER
    )
    assert tomorrow.receipt.endswith("000004")
    assert core.audit.verify() == []


def test_the_confirmed_day_goes_to_finance_as_a_file_read_back(
    core: Core, staff: dict[str, User], till: TillDesk, tmp_path: Path
) -> None:
    clerk, supervisor = staff["clerk"], staff["supervisor"]
    first = till.pay(
        user=clerk, case_id=paper_case(core, clerk), method=TillMethod.CASH, counter=COUNTER
    )
    till.pay(user=clerk, case_id=paper_case(core, clerk), method=TillMethod.CARD, counter=COUNTER)
    till.cancel(user=clerk, entry_id=first.id, reason="doppelt", counter=COUNTER)
    finance = build_finance(core)
    with pytest.raises(DomainError) as early:
        finance.export_day(first.office_id, first.day, tmp_path / "early.csv")
    assert early.value.key == "finance.not_confirmed"
    till.close_day(user=clerk, office_id=first.office_id, counter=COUNTER, counted_cents=0)
    till.confirm_day(user=supervisor, office_id=first.office_id, counter=COUNTER)
    target = tmp_path / "kasse-SI.csv"
    assert finance.export_day(first.office_id, first.day, target) == 3
    rows = read_back(target)
    assert [row["Kassenzeichen"] for row in rows] == [
        "SI-Q-2026-000001",
        "SI-Q-2026-000002",
        "SI-Q-2026-000003",
    ]
    assert [row["Betrag"] for row in rows] == ["9,00", "9,00", "-9,00"]
    assert [row["Zahlweg"] for row in rows] == ["cash", "card", "cash"]
    assert rows[0]["Sachkonto"] == "431100" and rows[0]["Kostenstelle"] == "1220"
    assert rows[2]["Buchungstext"].startswith("Storno Meldebescheinigung")
    assert rows[0]["Buchungsdatum"] == first.day.strftime("%d.%m.%Y")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the umlauts right


def test_the_export_columns_are_a_setting_and_a_wrong_one_is_named() -> None:
    assert CsvFinanceExport("kassenzeichen,amount").columns == ["kassenzeichen", "amount"]
    with pytest.raises(ValueError, match="known: date, kassenzeichen"):
        CsvFinanceExport("kassenzeichen,betrag")


def test_the_receipt_names_number_amount_way_and_case(
    core: Core, staff: dict[str, User], till: TillDesk, tmp_path: Path
) -> None:
    import subprocess

    from printing.receipt import ReceiptIssuer, receipt_pdf

    clerk = staff["clerk"]
    entry = till.pay(
        user=clerk, case_id=paper_case(core, clerk), method=TillMethod.CARD, counter=COUNTER
    )
    assert till.journal.by_receipt(entry.receipt) == entry
    issuer = ReceiptIssuer("Stadt Siegen", "Bürgerbüro Siegen", "Markt 2, 57072 Siegen")
    pdf = tmp_path / "quittung.pdf"
    pdf.write_bytes(receipt_pdf(entry, issuer=issuer, service="Meldebescheinigung (einfach)"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Quittung", entry.receipt, entry.case_reference, "9,00 €", "Karte", COUNTER):
        assert expected in text, (expected, text)


def test_a_reduced_fee_is_what_the_till_takes_and_a_waived_one_is_none(
    core: Core, staff: dict[str, User]
) -> None:
    clerk = staff["clerk"]
    fees = core.desk.fees
    assert fees is not None
    reduced = fees.take(
        user=clerk,
        case_id=paper_case(core, clerk),
        way="reduced",
        fee_cents=450,
        reason="Sozialpass",
    )
    assert (reduced.fee_cents, reduced.payment) == (450, PaymentState.OPEN)
    assert core.cases.get(reduced.id).fee_cents == 450  # stored, not only returned
    paid = fees.take(user=clerk, case_id=reduced.id, way="cash")
    entry = fees.till.journal.entries_for_case(paid.id)[0]
    assert entry.amount_cents == 450 and paid.payment is PaymentState.PAID
    waived = fees.take(
        user=clerk, case_id=paper_case(core, clerk), way="exempt", reason="§ 10 GebG NRW"
    )
    assert (waived.fee_cents, waived.payment) == (0, PaymentState.NONE_DUE)
    history = core.cases.history(waived.id)
    assert history[-1].action == "adjust_fee" and "§ 10 GebG NRW" in history[-1].reason
    assert core.audit.verify() == []
