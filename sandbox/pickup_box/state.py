"""The emulated box controller's state in SQLite (it survives restarts): boxes, compartments
with their verifiers, the numbered events. Implements docs/pickup-box-api.yaml from the
specification, not from the app's client."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

WRONG_ATTEMPTS_LOCK = 5
ROWS = 8  # compartments per column, bottom to top; the lowest three are step-free
SCHEMA = """
CREATE TABLE IF NOT EXISTS boxes (office TEXT PRIMARY KEY, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS compartments (
    office TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, size TEXT NOT NULL,
    low INTEGER NOT NULL, state TEXT NOT NULL, purpose TEXT, reference TEXT, deadline TEXT,
    code_verifier TEXT, verifier TEXT, wrong_attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (office, id));
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, office TEXT NOT NULL, at TEXT NOT NULL,
    kind TEXT NOT NULL, compartment TEXT, reference TEXT, occupied INTEGER);
CREATE TABLE IF NOT EXISTS switches (office TEXT PRIMARY KEY, offline INTEGER NOT NULL);
"""


class BoxError(Exception):
    def __init__(self, status: int, title: str) -> None:
        super().__init__(title)
        self.status, self.title = status, title


def _size_at(position: int, count: int) -> str:
    share = position / count
    return "S" if share < 0.6 else "M" if share < 0.9 else "L"


def matches(verifier_json: str | None, secret: str) -> bool:
    if not verifier_json:
        return False
    verifier = json.loads(verifier_json)
    if verifier.get("algorithm") != "pbkdf2-sha256":
        return False
    digest = hashlib.pbkdf2_hmac(
        "sha256",
        secret.encode(),
        base64.b64decode(verifier["salt"]),
        int(verifier["iterations"]),
    )
    return hmac.compare_digest(digest, base64.b64decode(verifier["hash"]))


class BoxState:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()

    # --- set-up ------------------------------------------------------------------------------

    def ensure_box(self, office: str, count: int) -> None:
        with self._lock:
            if self._db.execute("SELECT 1 FROM boxes WHERE office = ?", (office,)).fetchone():
                return
            self._db.execute("BEGIN")
            self._db.execute("INSERT INTO boxes VALUES (?, ?)", (office, count))
            self._db.executemany(
                "INSERT INTO compartments (office, id, position, size, low, state) "
                "VALUES (?, ?, ?, ?, ?, 'free')",
                [
                    (office, str(n + 1), n, _size_at(n, count), int(n % ROWS < 3))
                    for n in range(count)
                ],
            )
            self._db.execute("COMMIT")

    def offices(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT office FROM boxes ORDER BY office")]

    def known(self, office: str) -> bool:
        return office in self.offices()

    def offline(self, office: str) -> bool:
        row = self._db.execute(
            "SELECT offline FROM switches WHERE office = ?", (office,)
        ).fetchone()
        return bool(row and row[0])

    def set_offline(self, office: str, offline: bool) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO switches VALUES (?, ?) ON CONFLICT (office) DO UPDATE "
                "SET offline = excluded.offline",
                (office, int(offline)),
            )
            self._event(office, "offline" if offline else "online")

    # --- reading -----------------------------------------------------------------------------

    @staticmethod
    def _shown(row: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": row["id"],
            "size": row["size"],
            "low": bool(row["low"]),
            "state": row["state"],
            "reference": row["reference"],
            "deadline": row["deadline"],
            "wrong_attempts": row["wrong_attempts"],
        }

    def compartments(self, office: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT * FROM compartments WHERE office = ? ORDER BY position", (office,)
        )
        return [self._shown(row) for row in rows]

    def _row(self, office: str, compartment: str) -> sqlite3.Row:
        row = self._db.execute(
            "SELECT * FROM compartments WHERE office = ? AND id = ?", (office, compartment)
        ).fetchone()
        if row is None:
            raise BoxError(404, f"no compartment {compartment}")
        return row  # type: ignore[no-any-return]

    def events(self, office: str, after: str | None, limit: int) -> dict[str, Any]:
        start = int(after) if after else 0
        rows = self._db.execute(
            "SELECT * FROM events WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?",
            (office, start, limit),
        ).fetchall()
        events = [
            {
                "id": f"{row['seq']:012d}",
                "at": row["at"],
                "kind": row["kind"],
                "compartment": row["compartment"],
                "reference": row["reference"],
                "occupied": None if row["occupied"] is None else bool(row["occupied"]),
            }
            for row in rows
        ]
        return {"events": events, "cursor": events[-1]["id"] if events else after}

    # --- the API's changes -------------------------------------------------------------------

    def _event(
        self,
        office: str,
        kind: str,
        compartment: str | None = None,
        reference: str | None = None,
        occupied: bool | None = None,
    ) -> None:
        self._db.execute(
            "INSERT INTO events (office, at, kind, compartment, reference, occupied) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                office,
                dt.datetime.now(dt.UTC).isoformat(),
                kind,
                compartment,
                reference,
                None if occupied is None else int(occupied),
            ),
        )

    def _set(self, office: str, compartment: str, **values: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        self._db.execute(
            f"UPDATE compartments SET {columns} WHERE office = ? AND id = ?",
            (*values.values(), office, compartment),
        )

    def _empty(self, office: str, compartment: str) -> None:
        """Free, its item and verifiers gone."""
        self._set(
            office,
            compartment,
            state="free",
            purpose=None,
            reference=None,
            deadline=None,
            code_verifier=None,
            verifier=None,
            wrong_attempts=0,
        )

    def open(self, office: str, compartment: str, purpose: str, reference: str) -> dict[str, Any]:
        with self._lock:
            row = self._row(office, compartment)
            if purpose == "load" and row["state"] != "free":
                raise BoxError(409, f"compartment {compartment} is {row['state']}")
            if purpose == "retrieve" and row["state"] not in ("loaded", "locked"):
                raise BoxError(409, f"compartment {compartment} is {row['state']}")
            if row["state"] == "blocked":
                raise BoxError(423, f"compartment {compartment} is blocked")
            self._db.execute("BEGIN")
            self._set(
                office,
                compartment,
                state="door_open",
                purpose=purpose,
                reference=reference or row["reference"],
            )
            self._event(office, "door_opened", compartment, reference or row["reference"])
            self._db.execute("COMMIT")
            return self._shown(self._row(office, compartment))

    def register(self, office: str, compartment: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            row = self._row(office, compartment)
            if row["state"] not in ("loaded", "locked"):
                raise BoxError(409, f"compartment {compartment} is {row['state']}, not loaded")
            if row["reference"] not in (None, body["reference"]):
                raise BoxError(409, f"compartment {compartment} holds another item")
            self._set(
                office,
                compartment,
                state="loaded",
                reference=body["reference"],
                deadline=body["deadline"],
                code_verifier=json.dumps(body["code_verifier"]),
                verifier=json.dumps(body["verifier"]),
                wrong_attempts=0,
            )
            return self._shown(self._row(office, compartment))

    # --- the physical box (sandbox controls) -------------------------------------------------

    def close_door(self, office: str, compartment: str, *, occupied: bool | None = None) -> None:
        """The door shuts; an item is inside after loading unless `occupied` says otherwise."""
        with self._lock:
            row = self._row(office, compartment)
            if row["state"] != "door_open":
                raise BoxError(409, f"the door of {compartment} is not open")
            inside = (row["purpose"] == "load") if occupied is None else occupied
            self._db.execute("BEGIN")
            if inside:
                self._set(office, compartment, state="loaded", purpose=None)
            else:
                self._empty(office, compartment)
            self._event(office, "door_closed", compartment, row["reference"], inside)
            self._db.execute("COMMIT")

    def keypad(self, office: str, code: str, second_factor: str) -> str:
        """A citizen types the code and the second factor: the compartment opened, or
        BoxError(403). The item is taken and the door shut behind it."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM compartments WHERE office = ? AND code_verifier IS NOT NULL",
                (office,),
            ).fetchall()
            found = next((row for row in rows if matches(row["code_verifier"], code)), None)
            if found is None:
                self._event(office, "wrong_code")
                raise BoxError(403, "unknown code")
            compartment, reference = found["id"], found["reference"]
            if found["state"] == "locked":
                self._event(office, "wrong_code", compartment, reference)
                raise BoxError(403, "compartment locked")
            if not matches(found["verifier"], f"{code}\n{second_factor}"):
                attempts = found["wrong_attempts"] + 1
                self._db.execute("BEGIN")
                self._set(office, compartment, wrong_attempts=attempts)
                self._event(office, "wrong_code", compartment, reference)
                if attempts >= WRONG_ATTEMPTS_LOCK:
                    self._set(office, compartment, state="locked")
                    self._event(office, "locked", compartment, reference)
                self._db.execute("COMMIT")
                raise BoxError(403, "wrong second factor")
            self._db.execute("BEGIN")
            self._event(office, "door_opened", compartment, reference)
            self._event(office, "collected", compartment, reference)
            self._event(office, "door_closed", compartment, reference, False)
            self._empty(office, compartment)
            self._db.execute("COMMIT")
            return str(compartment)

    def fault(self, office: str, kind: str, compartment: str | None) -> None:
        with self._lock:
            if kind in ("blocked", "unblocked") and compartment:
                self._row(office, compartment)
                self._set(office, compartment, state="blocked" if kind == "blocked" else "free")
                return
            self._event(office, kind, compartment)

    def phantom(self, office: str, compartment: str, reference: str) -> None:
        """An item appears that nobody loaded through the API (a conflict to resolve)."""
        with self._lock:
            self._set(office, compartment, state="loaded", reference=reference)

    def many_events(self, office: str, count: int) -> None:
        """Door events in bulk, for the catch-up benchmark and tests."""
        with self._lock:
            self._db.execute("BEGIN")
            for n in range(count):
                self._event(office, "door_opened" if n % 2 == 0 else "door_closed", "1")
            self._db.execute("COMMIT")
