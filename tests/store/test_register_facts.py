"""No original with missing facts: without a population-register adapter the clerk confirms the
register facts on the case (stored, audited under their name); without either, issuing is
refused before a number is taken. Real store, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.documents import DocumentRefused
from app.domain.errors import DomainError
from app.domain.users import User
from app.services.documents import DocumentDesk
from app.wiring import Core
from printing import verify
from printing.wiring import PopulationRegisterError, build_documents, load_population_register
from tests.conftest import PASSPHRASE, SealSetup, decided_walk_in


class _Secrets:
    def get(self, name: str) -> str | None:
        return PASSPHRASE

    def set(self, name: str, value: str) -> None:
        raise NotImplementedError


@pytest.fixture
def documents(core: Core, seal: SealSetup) -> DocumentDesk:
    core.settings = replace(core.settings, seal_pkcs12_file=str(seal.p12))
    return build_documents(core, _Secrets)


def test_no_register_facts_no_original_and_no_number_spoiled(
    core: Core, staff: dict[str, User], documents: DocumentDesk
) -> None:
    clerk = staff["clerk"]
    case_id = decided_walk_in(core, clerk, register=None)
    with pytest.raises(DocumentRefused) as refused:
        documents.issue(user=clerk, case_id=case_id)
    assert "Anschrift (Hauptwohnung)" in refused.value.text()
    assert "Registerdaten bestätigen" in refused.value.text()
    assert documents.register_entries(user=clerk, year=core.clock.now().year) == []
    form = documents.register_form(user=clerk, case_id=case_id)
    assert form.needed and not form.complete


def test_confirmed_by_the_clerk_then_issued_with_them(
    core: Core, staff: dict[str, User], documents: DocumentDesk, seal: SealSetup
) -> None:
    clerk = staff["clerk"]
    case_id = decided_walk_in(core, clerk, register=None)
    with pytest.raises(DocumentRefused):  # the required address left empty
        documents.confirm_register_facts(user=clerk, case_id=case_id, values={"main_address": "  "})
    with pytest.raises(DomainError, match="is not a register fact"):
        documents.confirm_register_facts(
            user=clerk, case_id=case_id, values={"nationality": "deutsch"}
        )
    confirmed = documents.confirm_register_facts(
        user=clerk,
        case_id=case_id,
        values={"main_address": "Sandstraße  4,\n57072 Siegen", "usual_given_name": "Anna"},
    )
    assert confirmed.facts["main_address"] == "Sandstraße 4, 57072 Siegen"
    assert confirmed.confirmed_by == clerk.login
    form = documents.register_form(user=clerk, case_id=case_id)
    assert form.complete and form.current is not None
    assert form.current.facts == confirmed.facts

    issued = documents.issue(user=clerk, case_id=case_id)
    pdf = documents.pdf(user=clerk, document_id=issued.id)
    seals = verify.check_seals(verify.seals_in_pdf(pdf), seal.trust)
    assert seals.reading is not None
    assert ("Anschrift (Hauptwohnung)", "Sandstraße 4, 57072 Siegen") in seals.reading.facts
    assert all(value != "—" for label, value in seals.reading.facts if label != "Doktorgrad")

    reference = core.cases.get(case_id).reference
    entries = [r.entry for r in core.audit.records() if r.entry.action == "register.confirmed"]
    assert entries and entries[-1].subject == reference
    assert f"bestätigt von {clerk.login}" in entries[-1].detail
    assert "Sandstraße" not in entries[-1].detail  # the trail names the facts, not the address


def test_extended_certificate_dates_as_typed(
    core: Core, staff: dict[str, User], documents: DocumentDesk
) -> None:
    from tests.conftest import meldebescheinigung_form

    clerk = staff["clerk"]
    case_id = decided_walk_in(
        core,
        clerk,
        service_id="meldebescheinigung_erweitert",
        form=meldebescheinigung_form(include_marital_status="true", purpose="Arbeitgeber"),
        register=None,
    )
    keys = [field.key for field in documents.register_form(user=clerk, case_id=case_id).fields]
    assert {"moved_in", "birth_place", "nationality", "marital_status"} <= set(keys)
    assert "former_addresses" not in keys  # not asked for by the citizen
    values = {
        "main_address": "Sandstraße 4, 57072 Siegen",
        "moved_in": "31.02.2019",
        "birth_place": "Köln",
        "nationality": "deutsch",
        "marital_status": "ledig",
    }
    with pytest.raises(DomainError, match="is not a date"):
        documents.confirm_register_facts(user=clerk, case_id=case_id, values=values)
    confirmed = documents.confirm_register_facts(
        user=clerk, case_id=case_id, values={**values, "moved_in": "01.04.2019"}
    )
    assert confirmed.facts["moved_in"] == "2019-04-01"


def test_a_configured_adapter_answers_and_a_broken_one_says_so(
    core: Core, staff: dict[str, User], seal: SealSetup
) -> None:
    core.settings = replace(
        core.settings,
        seal_pkcs12_file=str(seal.p12),
        population_register="sandbox.demo_register:DemoRegister",
    )
    documents = build_documents(
        core, _Secrets, population_register=load_population_register(core.settings)
    )
    clerk = staff["clerk"]
    case_id = decided_walk_in(core, clerk, register=None)
    assert not documents.register_form(user=clerk, case_id=case_id).needed
    assert documents.issue(user=clerk, case_id=case_id).number.endswith("000001")

    broken = load_population_register(
        replace(core.settings, population_register="no_such_vendor.adapter:Register")
    )
    desk = build_documents(core, _Secrets, population_register=broken)
    with pytest.raises(PopulationRegisterError, match="no_such_vendor"):
        desk.issue(user=clerk, case_id=decided_walk_in(core, clerk, register=None))
