"""The intake's scheduled task definition as Windows' Task Scheduler reads it: started at boot
under the account named, pythonw.exe running `intake --loop`, restarted, never twice; accounts
that would need a password of their own are refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath

import pytest

from app.integrations.intake_task import IntakeTaskError, principal, task_xml

NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.text


def test_the_definition_runs_the_loop_at_boot_under_network_service() -> None:
    folder = PureWindowsPath(r"C:\Program Files\BuergerbueroDesk")
    root = ET.fromstring(task_xml("NT AUTHORITY\\NetworkService", Path(folder)).split("\n", 1)[1])
    assert text(root, "t:Triggers/t:BootTrigger/t:Enabled") == "true"
    assert text(root, "t:Principals/t:Principal/t:UserId") == "S-1-5-20"
    assert text(root, "t:Principals/t:Principal/t:LogonType") == "ServiceAccount"
    command = text(root, "t:Actions/t:Exec/t:Command")
    assert command is not None and command.endswith("pythonw.exe")
    assert text(root, "t:Actions/t:Exec/t:Arguments") == "-m app.cli intake --loop"
    settings = root.find("t:Settings", NS)
    assert settings is not None
    assert text(settings, "t:MultipleInstancesPolicy") == "IgnoreNew"
    assert text(settings, "t:ExecutionTimeLimit") == "PT0S"
    assert settings.find("t:RestartOnFailure/t:Count", NS) is not None


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        ("NetworkService", ("S-1-5-20", "ServiceAccount")),
        ("localservice", ("S-1-5-19", "ServiceAccount")),
        ("SYSTEM", ("S-1-5-18", "ServiceAccount")),
        ("STADT\\svc-intake$", ("STADT\\svc-intake$", "Password")),  # a gMSA
    ],
)
def test_service_accounts_and_gmsas(account: str, expected: tuple[str, str]) -> None:
    assert principal(account) == expected


@pytest.mark.parametrize("account", ["bob", "STADT\\bob", "", "svc$"])
def test_an_account_with_a_password_of_its_own_is_refused(account: str) -> None:
    with pytest.raises(IntakeTaskError, match="Dienstkonto"):
        principal(account)
