"""A passport in Identität prüfen, on the real PC/SC stack with the virtual passport chip and a
test issuing state's master list: the MRZ data typed (a wrong date refused by the chip), the
chip's photo and data shown beside the applicant's with the verdict, recorded only once the
clerk ticked that the photo was compared; a copied chip, changed data, an unknown issuer and
an expired document each shown as what they are. With SCREENSHOT_DIR set, each is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from cryptography import x509
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.cases import Applicant, CaseStatus
from app.domain.identity import IdentityLevel, icao_spelling
from app.wiring import Core
from cardreader.ausweisapp import RESULT_OK
from cardreader.identity_flow import FlowState
from cardreader.mrz import AccessKey, check_digit
from sandbox import emrtd_issuer as issuer
from sandbox.pcsc import PrivatePcscd
from sandbox.virtual_card.passport import PassportChip, PassportPersonality
from sandbox.virtual_card.vpcd import VirtualCard
from tests.support.json_server import serve_json
from tests.ui.test_identity_gui import in_state, shot, wait_for_reader
from tests.ui.test_main_window import select_case
from ui.identity_dialog import IdentityCheckDialog
from ui.main_window import MainWindow

START = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)


def td3(number: str, birth: str, expiry: str, names: str = "MUELLER<<ANNA") -> str:
    first = f"P<UTO{names}".ljust(44, "<")
    second = f"{number.ljust(9, '<')}{check_digit(number.ljust(9, '<'))}UTO"
    second += f"{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}"
    return first + "\n" + second.ljust(42, "<") + "0" + "0"


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    csca = issuer.csca("UT", start=START)
    lists = issuer.issued(
        csca, "ML", start=START, days=4000, usage=x509.ObjectIdentifier(issuer.MASTER_LIST_SIGNING)
    )
    master_list = tmp_path_factory.mktemp("trust") / "test.ml"
    master_list.write_bytes(issuer.master_list(lists, [csca], at=START))
    return {
        "signer": issuer.issued(csca, "DS 1", start=START, days=4000),
        "stranger": issuer.issued(issuer.csca("XX", start=START), "DS X", start=START, days=4000),
        "master_list": master_list,
    }


def passport(
    state: dict[str, object],
    *,
    expiry: str = "311231",
    signer: str = "signer",
    holder: Applicant | None = None,
    **variant: object,
) -> tuple[VirtualCard, AccessKey]:
    names, birth = "MUELLER<<ANNA", "640812"
    if holder is not None and holder.birth_date is not None:
        names = "<<".join(
            icao_spelling(part).replace(" ", "<")
            for part in (holder.family_name, holder.given_names)
        )
        birth = holder.birth_date.strftime("%y%m%d")
    key = AccessKey("C01X00T47", birth, expiry)
    document = issuer.issue(
        issuer.Document(
            td3("C01X00T47", birth, expiry, names),
            issuer.face_jpeg(),
            active_authentication=issuer.aa_key(),
        ),
        state[signer],  # type: ignore[arg-type]
        at=START,
    )
    personality = PassportPersonality(
        files=dict(document.files),
        mrz_information=key.information,
        active_authentication=document.active_authentication,
    )
    for name, value in variant.items():
        if name == "changed_dg1":
            personality.files["DG1"] = issuer.Document(
                td3("C01X00T47", "640812", expiry, "MUELLER<<ANNE"), b""
            ).dg1()
        else:
            setattr(personality, name, value)
    return VirtualCard(PassportChip.of(personality)), key


@pytest.fixture
def trusted(state: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BUERGERBUERO_PASSPORT_MASTER_LIST_FILE", str(state["master_list"]))
    yield


def open_dialog(qtbot: QtBot, window: MainWindow) -> tuple[IdentityCheckDialog, int]:
    case_id = select_case(qtbot, window, CaseStatus.RECEIVED)
    page, view = window.case_page, window.case_page.view
    with qtbot.waitSignal(page.shown, timeout=10_000):
        qtbot.mouseClick(view.buttons["claim"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.buttons["identity"], Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, IdentityCheckDialog)
    return dialog, case_id


def type_mrz(dialog: IdentityCheckDialog, key: AccessKey) -> None:
    for field, value in (
        (dialog.mrz.number, key.document_number),
        (dialog.mrz.birth, key.birth),
        (dialog.mrz.expiry, key.expiry),
    ):
        field.clear()
        field.insert(value)
    dialog.mrz.expiry.returnPressed.emit()  # Enter reads the chip


def test_a_passport_read_compared_and_recorded(
    qtbot: QtBot,
    window: MainWindow,
    gui_core: Core,
    pcscd: PrivatePcscd,
    state: dict[str, object],
    trusted: None,
) -> None:
    dialog, case_id = open_dialog(qtbot, window)
    card, key = passport(state, holder=gui_core.cases.get(case_id).applicant)
    try:
        wait_for_reader(qtbot, dialog, "keine Karte", pcscd, 10_000)
        card.insert()
        in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
        assert dialog.mrz.isVisible() and dialog.mrz.number.hasFocus()
        type_mrz(dialog, AccessKey(key.document_number, "010101", key.expiry))
        in_state(qtbot, dialog, FlowState.WRONG_MRZ)
        assert "lehnt diese Daten ab" in dialog.outcome.text()
        shot(dialog, "passport-wrong-mrz")
        type_mrz(dialog, key)
        in_state(qtbot, dialog, FlowState.PASSPORT_GENUINE, timeout=30_000)
        panel = dialog.passport
        assert panel.isVisible() and not panel.photo.pixmap().isNull()
        lines = [panel.lines.itemAt(i).widget().text() for i in range(panel.lines.count())]
        for expected in ("vom Aussteller signiert", "nicht kopiert", "wie im Antrag"):
            assert any(expected in line for line in lines), lines
        assert not dialog.record_button.isEnabled()  # the photo is compared first
        assert panel.compared.hasFocus()
        qtbot.keyClick(panel.compared, Qt.Key.Key_Space)
        assert dialog.record_button.isEnabled()
        dialog.resize(900, 820)
        shot(dialog, "passport-genuine")
        with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
            qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    finally:
        card.remove()
    case = gui_core.cases.get(case_id)
    assert case.identity_verified is IdentityLevel.HIGH
    view = window.case_page.view
    history = [view.history.item(i).text() for i in range(view.history.count())]
    assert any("Reisepass-Chip, echt, nicht kopiert" in line for line in history), history


@pytest.mark.parametrize(
    ("variant", "state_expected", "words"),
    [
        ({"active_authentication": "other"}, FlowState.CLONE_CHECK_FAILED, "KOPIERTER CHIP"),
        ({"changed_dg1": True}, FlowState.DATA_CHANGED, "verändert"),
        ({"signer": "stranger"}, FlowState.NOT_VERIFIABLE, "Nicht prüfbar"),
        ({"expiry": "240101"}, FlowState.DOCUMENT_EXPIRED, "abgelaufen"),
    ],
    ids=["clone", "changed", "unknown-issuer", "expired"],
)
def test_what_is_not_genuine_says_what_it_is_and_records_nothing(
    qtbot: QtBot,
    window: MainWindow,
    gui_core: Core,
    pcscd: PrivatePcscd,
    state: dict[str, object],
    trusted: None,
    variant: dict[str, object],
    state_expected: FlowState,
    words: str,
    request: pytest.FixtureRequest,
) -> None:
    options = dict(variant)
    if options.get("active_authentication") == "other":
        options["active_authentication"] = issuer.aa_key()
    card, key = passport(state, **options)  # type: ignore[arg-type]
    dialog, case_id = open_dialog(qtbot, window)
    before = gui_core.cases.get(case_id).identity_verified
    try:
        wait_for_reader(qtbot, dialog, "keine Karte", pcscd, 10_000)
        card.insert()
        in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
        type_mrz(dialog, key)
        in_state(qtbot, dialog, state_expected, timeout=30_000)
        assert words in dialog.outcome.text()
        assert not dialog.passport.compared.isEnabled() and not dialog.record_button.isEnabled()
        dialog.resize(900, 820)
        shot(dialog, f"passport-{request.node.callspec.id}")
    finally:
        card.remove()
        dialog.reject()
    assert gui_core.cases.get(case_id).identity_verified is before


def test_a_german_id_card_read_on_site_through_ausweisapp(
    qtbot: QtBot,
    window: MainWindow,
    gui_core: Core,
    pcscd: PrivatePcscd,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the seat names the city's eID service, the CAN goes to AusweisApp (here a recorded
    message script over a real WebSocket) and the service's data are shown beside the
    application's; recorded once the clerk ticked that they compared them."""
    from sandbox.virtual_card.chip import Chip, Personality
    from tests.cardreader.test_ausweisapp_sdk import ACCESS_RIGHTS, READER, Script

    dialog, case_id = open_dialog(qtbot, window)
    applicant = gui_core.cases.get(case_id).applicant
    assert applicant.birth_date is not None
    data = {
        "FamilyNames": applicant.family_name.upper(),
        "GivenNames": applicant.given_names.upper(),
        "DateOfBirth": applicant.birth_date.isoformat(),
        "PlaceOfResidence": "HEIDESTRASSE 17, 57072 SIEGEN",
        "DocumentType": "ID",
        "IssuingState": "D",
    }
    with serve_json(data) as refresh:
        steps = [
            ("recv", {"cmd": "RUN_AUTH", "tcTokenURL": "https://eid.example.org/tc"}),
            ("send", {"msg": "AUTH"}),
            ("send", ACCESS_RIGHTS),
            ("recv", {"cmd": "ACCEPT"}),
            ("send", {"msg": "ENTER_CAN", "reader": READER}),
            ("recv", {"cmd": "SET_CAN", "value": "482913"}),
            ("send", {"msg": "AUTH", "result": {"major": RESULT_OK}, "url": refresh}),
        ]
        card = VirtualCard(Chip(Personality(can="482913")))
        with Script(steps) as script:
            monkeypatch.setenv("BUERGERBUERO_EID_TC_TOKEN_URL", "https://eid.example.org/tc")
            monkeypatch.setenv("BUERGERBUERO_AUSWEISAPP_URL", script.url)
            try:
                wait_for_reader(qtbot, dialog, "keine Karte", pcscd, 10_000)
                card.insert()
                in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
                assert "vor Ort ausgelesen" in dialog.on_site_note.text()
                dialog.can.insert("482913")
                dialog.can.returnPressed.emit()
                in_state(qtbot, dialog, FlowState.ON_SITE_READ, timeout=30_000)
                assert not dialog.record_button.isEnabled()
                assert dialog.on_site.compared.hasFocus()
                qtbot.keyClick(dialog.on_site.compared, Qt.Key.Key_Space)
                assert dialog.record_button.isEnabled()
                shot(dialog, "on-site")
                with qtbot.waitSignal(window.case_page.shown, timeout=10_000):
                    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
            finally:
                card.remove()
    assert gui_core.cases.get(case_id).identity_verified is IdentityLevel.HIGH
    view = window.case_page.view
    history = [view.history.item(i).text() for i in range(view.history.count())]
    assert any("vor Ort ausgelesen" in line for line in history), history


def test_an_mrz_scanner_typing_the_lines_fills_the_fields(qtbot: QtBot) -> None:
    from ui.passport_panel import MrzEntry

    entry = MrzEntry()
    qtbot.addWidget(entry)
    first, second = td3("C01X00T47", "640812", "311231").split("\n")
    with qtbot.waitSignal(entry.submitted, timeout=2_000) as submitted:
        for line in (first, second):
            entry.number.insert(line)
            entry.number.returnPressed.emit()
    assert submitted.args == [AccessKey("C01X00T47", "640812", "311231")]
    assert (entry.number.text(), entry.birth.text()) == ("C01X00T47", "640812")
    for field in (entry.number, entry.birth, entry.expiry):
        field.clear()
    entry.number.insert("c01x00t47")  # typed by the clerk: submitted only when complete
    with qtbot.assertNotEmitted(entry.submitted):
        entry.number.returnPressed.emit()  # no dates yet


def test_a_bac_only_chip_asks_for_the_mrz_and_a_card_moved_mid_read_is_said(
    qtbot: QtBot,
    window: MainWindow,
    pcscd: PrivatePcscd,
    state: dict[str, object],
    trusted: None,
) -> None:
    """The CAN cannot open a chip without PACE: the dialog asks for the MRZ data. A card taken
    away while its chip is read: the dialog says so and reads it again once it is back."""
    from sandbox.virtual_card.vpcd import Faults

    card, key = passport(state, pace=False)
    dialog, _case_id = open_dialog(qtbot, window)
    try:
        wait_for_reader(qtbot, dialog, "keine Karte", pcscd, 10_000)
        card.insert()
        in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
        dialog.can.insert("123456")
        dialog.can.returnPressed.emit()
        in_state(qtbot, dialog, FlowState.NEEDS_MRZ)
        assert "nur BAC" in dialog.outcome.text() and dialog.mrz.number.hasFocus()
        shot(dialog, "passport-needs-mrz")
        card.remove()
        in_state(qtbot, dialog, FlowState.WAITING_FOR_CARD)
        card.faults = Faults(pull_at=8)  # taken away while the files are read
        card.insert()
        in_state(qtbot, dialog, FlowState.READY_FOR_CAN)
        type_mrz(dialog, key)
        in_state(qtbot, dialog, FlowState.CARD_MOVED, timeout=30_000)
        shot(dialog, "passport-card-moved")
        card.faults = Faults()
        card.insert()
        in_state(qtbot, dialog, FlowState.PASSPORT_GENUINE, timeout=30_000)  # the same data
    finally:
        card.remove()
        dialog.reject()
