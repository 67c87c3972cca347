"""Anchors of the audit chain outside the database, timestamped by a real RFC 3161 TSA over
HTTP: a chain cut short with its head rewound passes the database's own check, but not the
anchors; a changed anchor is caught by its timestamp. Run as real processes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from app.domain.audit import GENESIS_HASH
from app.services.audit_anchor import AuditAnchoring
from sandbox.seal_pki import SealPki
from sandbox.tsa import TimestampAuthority
from tests.conftest import FixedClock
from tests.support.cli import run_cli


@pytest.fixture(scope="module")
def tsa() -> Iterator[tuple[TimestampAuthority, SealPki]]:
    pki = SealPki.create()
    with TimestampAuthority(pki) as authority:
        yield authority, pki


def run(tmp_path: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return run_cli(tmp_path / "data", *args, **environment)


@pytest.mark.slow
def test_anchors_catch_a_chain_cut_short_with_its_head_rewound(
    tmp_path: Path, tsa: tuple[TimestampAuthority, SealPki]
) -> None:
    authority, pki = tsa
    trust = tmp_path / "tsa-ca.pem"
    trust.write_bytes(pki.ca.public_bytes(serialization.Encoding.PEM))
    anchors = tmp_path / "share" / "audit-anchors"
    anchored = {
        "BUERGERBUERO_AUDIT_ANCHOR_FOLDER": str(anchors),
        "BUERGERBUERO_SEAL_TIMESTAMP_URL": authority.url,
        "BUERGERBUERO_AUDIT_ANCHOR_TSA_TRUST_FILE": str(trust),
    }
    assert run(tmp_path, "db", "upgrade").returncode == 0
    assert run(tmp_path, "demo", "--cases", "5").returncode == 0
    # a share that is not mounted is said, never replaced by a local folder of that name
    for action in ("anchor", "verify"):
        unmounted = run(tmp_path, "audit", action, **anchored)
        assert unmounted.returncode == 2 and "no such folder" in unmounted.stderr, unmounted
        assert len(unmounted.stderr.strip().splitlines()) == 1 and not anchors.exists()
    anchors.mkdir(parents=True)
    made = run(tmp_path, "audit", "anchor", **anchored)
    assert made.returncode == 0, made.stderr
    (anchor,) = anchors.iterdir()
    assert anchor.name in made.stdout and authority.requests == 1
    database = tmp_path / "data" / "buergerbuero.sqlite3"
    with sqlite3.connect(database) as connection:
        (head,) = connection.execute("SELECT last_seq FROM audit_head").fetchone()
    proven = run(tmp_path, "audit", "verify", **anchored)
    assert proven.returncode == 0, proven.stdout
    assert f"up to record {head} (the head)" in proven.stdout and "note" not in proven.stdout

    # whoever can write to the database removes the last three records and rewinds the head
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM audit_records WHERE seq > ?", (head - 3,))
        (kept,) = connection.execute(
            "SELECT hash FROM audit_records WHERE seq = ?", (head - 3,)
        ).fetchone()
        connection.execute("UPDATE audit_head SET last_seq = ?, last_hash = ?", (head - 3, kept))
    unanchored = run(tmp_path, "audit", "verify")
    assert unanchored.returncode == 0  # the database alone cannot tell
    caught = run(tmp_path, "audit", "verify", **anchored)
    assert caught.returncode == 1
    assert f"anchor {anchor.name}" in caught.stdout
    assert f"names record {head}, which is missing" in caught.stdout
    assert f"the chain now ends at {head - 3}" in caught.stdout

    # an anchor moved back to match the shortened chain: its timestamp gives it away
    content = json.loads(anchor.read_text())
    anchor.chmod(0o644)
    anchor.write_text(json.dumps({**content, "seq": head - 3, "hash": kept}))
    forged = run(tmp_path, "audit", "verify", **anchored)
    assert forged.returncode == 1 and "its timestamp does not match" in forged.stdout

    untrusted = {**anchored, "BUERGERBUERO_AUDIT_ANCHOR_TSA_TRUST_FILE": ""}
    anchor.write_text(json.dumps(content))  # the true anchor again, judged without trust
    noted = run(tmp_path, "audit", "verify", **untrusted)
    assert "not in audit_anchor_tsa_trust_file" in noted.stdout


def test_an_anchor_is_due_hourly_and_each_new_day(tmp_path: Path) -> None:
    from app.integrations.anchor_folder import AnchorFolder

    class Chain:
        def head(self) -> tuple[int, str]:
            return 0, GENESIS_HASH

    clock = FixedClock(dt.datetime(2026, 12, 2, 22, 30, tzinfo=dt.UTC))
    (tmp_path / "anchors").mkdir()
    folder = AnchorFolder(tmp_path / "anchors")
    anchoring = AuditAnchoring(
        audit=Chain(),  # type: ignore[arg-type]
        store=folder,
        timestamper=None,
        clock=clock,
    )
    assert anchoring.due(interval_seconds=3600)
    first = anchoring.anchor()
    assert not anchoring.due(interval_seconds=3600)
    clock.advance(seconds=1900)  # 23:01:40, same day, within the hour
    assert not anchoring.due(interval_seconds=3600)
    clock.advance(seconds=3600)  # past midnight: the day's end is anchored
    assert anchoring.due(interval_seconds=86_400)
    second = anchoring.anchor()
    assert [name for name, _content in folder.anchors()] == sorted([first, second])
