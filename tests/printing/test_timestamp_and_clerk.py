"""A timestamp from a TSA over real HTTP when one is configured, and the clerk's own signature
after the authority's seal: both checked by pyHanko and by poppler's pdfsig."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.domain.documents import DocumentKind
from app.domain.users import User
from app.wiring import Core
from printing import pades, verify
from printing.maker import SealedDocumentMaker
from printing.seal_keys import Pkcs12SealKey
from sandbox.document_samples import sample_content
from sandbox.seal_pki import SIGNER_ID
from sandbox.tsa import TimestampAuthority
from tests.conftest import SealSetup


def test_timestamp_from_a_tsa(seal: SealSetup) -> None:
    with TimestampAuthority(seal.pki) as tsa:
        maker = SealedDocumentMaker(
            seal.key, signer_id=SIGNER_ID, location="Siegen", timestamp_url=tsa.url
        )
        made = maker.make(sample_content(DocumentKind.GEBURTSURKUNDE))
        assert tsa.requests == 1
    verdict = verify.check_pdf(made.pdf, seal.trust)
    assert verdict.ok, verdict
    assert verdict.signatures[0].timestamped
    assert "mit Zeitstempel" in verify.describe_signatures(verdict)


def test_tsa_down_seals_b_b_and_the_timestamp_follows_when_it_is_back(
    seal: SealSetup, tmp_path: Path
) -> None:
    """The counter goes on while the TSA is down: the original is sealed without a timestamp
    (PAdES B-B) and marked; once the TSA answers, a document timestamp is added in a new
    revision. pyHanko and poppler's pdfsig both accept the seal and the timestamp after it."""
    import pytest

    with TimestampAuthority(seal.pki) as tsa:
        url = tsa.url
    maker = SealedDocumentMaker(seal.key, signer_id=SIGNER_ID, location="Siegen", timestamp_url=url)
    made = maker.make(sample_content(DocumentKind.GEBURTSURKUNDE))  # the TSA is gone
    assert made.timestamp_pending
    verdict = verify.check_pdf(made.pdf, seal.trust)
    assert verdict.ok, verdict
    assert not verdict.signatures[0].timestamped
    with pytest.raises(pades.TimestampUnavailable):
        pades.add_document_timestamp(made.pdf, pades.HTTPTimeStamper(url, timeout=2))
    with TimestampAuthority(seal.pki) as tsa:
        stamped = pades.add_document_timestamp(made.pdf, pades.HTTPTimeStamper(tsa.url))
    later = verify.check_pdf(stamped, seal.trust)
    assert later.ok, later
    assert [s.role for s in later.signatures] == [pades.Role.SEAL, pades.Role.TIMESTAMP]
    assert later.signatures[1].signed_at is not None
    assert "Zeitstempel (nachgetragen" in verify.describe_signatures(later)
    document = tmp_path / "stamped.pdf"
    document.write_bytes(stamped)
    poppler = subprocess.run(["pdfsig", str(document)], capture_output=True, text=True).stdout
    # poppler checks the seal; a document timestamp it lists without checking it (pdfsig
    # knows no ETSI.RFC3161 type), as the whole file's last revision
    seal_part, stamp_part = poppler.split("Signature #2:")
    assert "Signature is Valid." in seal_part
    assert "Timestamp-" in stamp_part and "Total document signed" in stamp_part


def test_clerk_signs_after_the_seal(seal: SealSetup, tmp_path: Path) -> None:
    clerk_p12 = tmp_path / "clerk.p12"
    seal.pki.pkcs12(clerk_p12, "Jürgen Weiß", serial=0x7711, passphrase="clerk")
    maker = SealedDocumentMaker(
        seal.key,
        signer_id=SIGNER_ID,
        location="Siegen",
        clerk_key=Pkcs12SealKey(clerk_p12, "clerk"),
    )
    made = maker.make(sample_content(DocumentKind.STERBEURKUNDE))
    verdict = verify.check_pdf(made.pdf, seal.trust)
    assert [s.field for s in verdict.signatures] == [pades.SEAL_FIELD, pades.CLERK_FIELD]
    assert verdict.ok, verdict
    assert verdict.signatures[1].covers_whole_file
    document = tmp_path / "signed.pdf"
    document.write_bytes(made.pdf)
    poppler = subprocess.run(["pdfsig", str(document)], capture_output=True, text=True).stdout
    assert poppler.count("Signature is Valid.") == 2


def test_the_command_stamps_what_waits_in_the_register(
    seal: SealSetup, core: Core, staff: dict[str, User], tmp_path: Path
) -> None:
    """`buergerbuero timestamps add` as a process: an original the register marks as sealed
    without its timestamp gets it, audited; while the TSA is down it says so, exit 2."""
    import json

    from tests.conftest import decided_walk_in

    def run_cli(data: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
        tool = Path(sys.executable).with_name("buergerbuero")  # the whole command tree
        return subprocess.run(
            [str(tool), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **os.environ,
                "BUERGERBUERO_DATA_DIR": str(data),
                "BUERGERBUERO_SETTINGS_FILE": str(data / "none.toml"),
                "BUERGERBUERO_LOGIN": "it.admin",
                **environment,
            },
        )

    case = core.cases.get(decided_walk_in(core, staff["clerk"]))
    with TimestampAuthority(seal.pki) as tsa:
        url = tsa.url
    maker = SealedDocumentMaker(seal.key, signer_id=SIGNER_ID, location="Siegen", timestamp_url=url)
    made = maker.make(sample_content(DocumentKind.MELDEBESCHEINIGUNG))
    reservation = core.documents.reserve(
        case, DocumentKind.MELDEBESCHEINIGUNG, by="a.becker", at=core.clock.now()
    )
    issued = core.documents.record(reservation, made, by="a.becker")
    assert [n for _id, n, _pdf in core.documents.awaiting_timestamp(limit=5)] == [issued.number]
    environment = {
        "BUERGERBUERO_DATABASE_URL": core.settings.database_url,
        "BUERGERBUERO_SEAL_TIMESTAMP_URL": url,
    }
    down = run_cli(tmp_path / "data", "timestamps", "add", **environment)
    assert down.returncode == 2 and json.loads(down.stdout) == {"stamped": 0, "waiting": 1}
    assert down.stderr.count("\n") == 1
    with TimestampAuthority(seal.pki) as tsa:
        environment["BUERGERBUERO_SEAL_TIMESTAMP_URL"] = tsa.url
        done = run_cli(tmp_path / "data", "timestamps", "add", **environment)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"stamped": 1, "waiting": 0}
    assert core.documents.awaiting_timestamp(limit=5) == []
    verdict = verify.check_pdf(core.documents.pdf(issued.id), seal.trust)
    assert verdict.ok and [s.role for s in verdict.signatures][-1] is pades.Role.TIMESTAMP
    assert core.audit.verify() == []
