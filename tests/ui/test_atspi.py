"""The window as a screen reader sees it: the real application on an X display, its
accessibility bridge on the AT-SPI bus, read from outside the process by Debian's pyatspi
(a real assistive-technology client, not our own code). BITV 2.0 / EN 301 549: every control
a clerk can reach has a role and a German name, dialogs are reachable, status texts change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import LOGIN

ROOT = Path(__file__).resolve().parents[2]
NEEDED = ("/usr/bin/python3", "/usr/libexec/at-spi-bus-launcher")


def _free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, object]:
    missing = [p for p in NEEDED if not Path(p).exists()]
    missing += [tool for tool in ("dbus-run-session", "Xvfb") if shutil.which(tool) is None]
    assert not missing, f"bootstrap should have installed: {missing}"
    folder = tmp_path_factory.mktemp("atspi")
    database = folder / "desk.sqlite3"
    shutil.copy(demo_template, database)
    out = folder / "probe.json"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    done = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "bash",
            str(ROOT / "tests" / "support" / "atspi_session.sh"),
            str(_free_display()),
            sys.executable,
            str(database),
            LOGIN,
            str(out),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    app_errors = Path(f"{out}.app-stderr")
    detail = done.stderr[-2000:] + (app_errors.read_text()[-2000:] if app_errors.exists() else "")
    assert done.returncode == 0 and out.exists(), detail
    result: dict[str, object] = json.loads(out.read_text())
    assert "error" not in result, detail
    return result


@pytest.mark.slow
def test_the_window_is_on_the_bus_with_its_title(seen: dict[str, object]) -> None:
    assert seen["window"] and "Bürgerbüro Desk" in str(seen["window"])


@pytest.mark.slow
def test_every_control_a_clerk_can_reach_has_a_role_and_a_name(seen: dict[str, object]) -> None:
    controls = seen["controls"]
    assert isinstance(controls, list) and len(controls) > 30
    reachable = [c for c in controls if c["focusable"] and c["showing"] and not c["in_table"]]
    assert len(reachable) >= 8  # the tabs, the search, five filters, the table
    unnamed = [c for c in reachable if not c["name"] or not c["role"] or c["role"] == "unknown"]
    assert unnamed == []
    names = {c["name"] for c in controls}
    for expected in ("Posteingang", "Suche nach Name oder Aktenzeichen", "Vorgänge", "Vorgang"):
        assert any(expected in str(name) for name in names), expected


@pytest.mark.slow
def test_the_walk_in_dialog_is_reachable_and_named(seen: dict[str, object]) -> None:
    assert seen["new_case_button"] and seen["dialog"]
    controls = seen["dialog_controls"]
    assert isinstance(controls, list)
    fields = [c for c in controls if c["role"] in ("text", "combo box") and c["showing"]]
    assert fields and all(c["name"] for c in fields)
    assert {"Familienname", "Vornamen", "Geburtsdatum"} <= {c["name"] for c in fields}
    assert seen["dialog_closed"]


@pytest.mark.slow
def test_the_status_bar_says_what_the_search_found(seen: dict[str, object]) -> None:
    assert seen["count_before"] and "Vorgängen" in str(seen["count_before"])
    after = str(seen["count_after"])  # a search that finds nothing says which filter narrows it
    assert seen["count_after"] and after.startswith("Keine Treffer") and "Offene" in after
