"""Every administrative change is an audit record with who, what and the old and new value,
written in the same transaction as the change (SQLite and PostgreSQL): users created, their
role, office and name changed, disabled and enabled again; offices created and renamed; a
save that changes nothing writes nothing; the chain still verifies."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from app.domain.audit import verify_chain
from app.domain.users import Role
from app.wiring import Core, note_settings
from app.wiring.seat_settings import administrative_settings


def _admin_records(core: Core) -> list[tuple[str, str, str, str]]:
    return [
        (r.entry.actor, r.entry.action, r.entry.subject, r.entry.detail)
        for r in core.audit.records()
        if r.entry.action.startswith(("user.", "office."))
    ]


def test_user_and_office_changes_are_audited_with_old_and_new(core: Core) -> None:
    offices = {office.code: office for office in core.users.offices()}
    before = len(_admin_records(core))
    now = core.clock.now()

    def save(**changes: object) -> None:
        values: dict[str, object] = {
            "login": "n.neu",
            "display_name": "Nina Neu",
            "role": Role.CLERK,
            "office_id": offices["SI"].id,
            "active": True,
        }
        core.users.save_user(actor="it.admin", at=now, **{**values, **changes})  # type: ignore[arg-type]

    save()
    save()  # nothing changed: nothing to audit
    save(role=Role.SUPERVISOR, office_id=offices["WE"].id)
    save(role=Role.SUPERVISOR, office_id=offices["WE"].id, display_name="Nina Neu-Berg")
    save(
        role=Role.SUPERVISOR, office_id=offices["WE"].id, display_name="Nina Neu-Berg", active=False
    )
    save(role=Role.SUPERVISOR, office_id=offices["WE"].id, display_name="Nina Neu-Berg")
    core.users.save_office("EI", "Bürgerbüro Eiserfeld (Rathaus)", actor="it.admin", at=now)
    core.users.save_office("NE", "Bürgerbüro Neu", actor="it.admin", at=now)

    assert _admin_records(core)[before:] == [
        ("it.admin", "user.created", "n.neu", "role: clerk; office: SI; active"),
        ("it.admin", "user.changed", "n.neu", "role: clerk -> supervisor; office: SI -> WE"),
        ("it.admin", "user.changed", "n.neu", "name: changed"),
        ("it.admin", "user.disabled", "n.neu", "active: True -> False"),
        ("it.admin", "user.enabled", "n.neu", "active: False -> True"),
        (
            "it.admin",
            "office.renamed",
            "EI",
            f"name: {offices['EI'].name} -> Bürgerbüro Eiserfeld (Rathaus)",
        ),
        ("it.admin", "office.created", "NE", "name: Bürgerbüro Neu"),
    ]
    assert "Nina" not in repr(_admin_records(core))  # staff names stay out of the chain
    assert verify_chain(core.audit.records()) == []


def test_the_users_command_is_audited_as_the_login_that_ran_it(tmp_path: Path) -> None:
    tool = Path(sys.executable).with_name("buergerbuero")
    env = {**os.environ, "BUERGERBUERO_DATA_DIR": str(tmp_path), "BUERGERBUERO_LOGIN": "it.admin"}
    for arguments in (
        ["db", "upgrade"],
        ["users", "save", "--login", "k.kurz", "--role", "clerk", "--office", "SI"],
        ["users", "save", "--login", "k.kurz", "--role", "admin", "--office", "SI"],
    ):
        subprocess.run(
            [str(tool), *arguments], env=env, check=True, capture_output=True, timeout=120
        )
    (database,) = tmp_path.rglob("*.sqlite*") or tmp_path.rglob("*.db")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT actor, action, subject, detail FROM audit_records"
            " WHERE subject = 'k.kurz' ORDER BY seq"
        ).fetchall()
    assert rows == [
        ("it.admin", "user.created", "k.kurz", "role: clerk; office: SI; active"),
        ("it.admin", "user.changed", "k.kurz", "role: clerk -> admin"),
    ]
    audit = subprocess.run(
        [str(tool), "audit", "verify"], env=env, capture_output=True, text=True, timeout=120
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_the_seats_own_folder_is_its_accounts_alone(tmp_path: Path) -> None:
    """The embedded database's folder (and with it the journal and the window's state) is
    made 0700, and one an older version left open is closed at the next start."""
    tool = Path(sys.executable).with_name("buergerbuero")
    fresh, opened = tmp_path / "fresh", tmp_path / "opened"
    opened.mkdir(mode=0o755)
    opened.chmod(0o755)
    for folder in (fresh, opened):
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BUERGERBUERO_")},
            "BUERGERBUERO_DATA_DIR": str(folder),
        }
        subprocess.run([str(tool), "db", "upgrade"], env=env, check=True, timeout=120)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_changed_setting_or_trust_list_is_audited_at_the_next_start(
    core: Core, tmp_path: Path
) -> None:
    def changes() -> list[tuple[str, str]]:
        return [
            (r.entry.action, r.entry.detail)
            for r in core.audit.records()
            if r.entry.action.startswith(("settings.", "trust_list."))
        ]

    assert note_settings(core, actor="it.admin") == []  # the first start records, once
    assert [action for action, _ in changes()] == ["settings.recorded"]
    assert note_settings(core, actor="it.admin") == []  # the same again: nothing

    trust = tmp_path / "vertrauensliste.json"
    trust.write_text('{"format": "buergerbuero-trust-list/1"}', encoding="utf-8")
    core.settings = replace(
        core.settings,
        verifier_url="https://www.siegen.de/pruefen",
        seal_trust_list_file=str(trust),
        language="en",  # a clerk's own preference, no administration
    )
    noted = note_settings(core, actor="it.admin")
    assert noted[0] == "seal_trust_list_file: '' -> " + repr(str(trust))
    assert noted[1] == "verifier_url: '' -> 'https://www.siegen.de/pruefen'"
    assert noted[2].startswith("trust list: sha256: - -> ")
    trust.write_text('{"format": "buergerbuero-trust-list/1", "signers": []}', encoding="utf-8")
    (changed,) = note_settings(core, actor="it.admin")
    assert changed.startswith("trust list: sha256: ")
    assert [action for action, _ in changes()] == [
        "settings.recorded",
        "settings.changed",
        "trust_list.changed",
        "trust_list.changed",
    ]
    assert verify_chain(core.audit.records()) == []


def test_a_password_in_the_database_url_never_reaches_the_chain() -> None:
    from app.integrations.settings import Settings

    noted = administrative_settings(
        Settings(database_url="postgresql+psycopg://desk:geheim@db.stadt.example/desk")
    )
    assert "geheim" not in repr(noted) and "***" in noted["database_url"]
    assert "language" not in noted and "login" not in noted
