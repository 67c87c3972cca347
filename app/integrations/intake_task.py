"""The headless intake (`buergerbuero intake --loop`) as a Windows scheduled task: started at
boot under an account the admin chooses, restarted when it ends, never two at once. The MSI
registers it where the admin passes INTAKE_TASK_ACCOUNT and removes it on uninstall; an admin
can do the same by hand with `buergerbuero intake-task install|remove|show`.

A scheduled task rather than a Windows service: python.exe is no service host, and a task needs
no extra binary in the payload. The account is a built-in service account (NetworkService,
LocalService, SYSTEM) or a group managed service account (DOMAIN\\name$, whose password Windows
fetches from the domain): an account with a password of its own would make that password an
MSI property, and secrets never are."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

TASK_NAME = "BuergerbueroDesk Intake"
TASK_NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"
WELL_KNOWN_ACCOUNTS = {  # the names admins type, to the SIDs that every Windows language knows
    "networkservice": "S-1-5-20",
    "nt authority\\networkservice": "S-1-5-20",
    "localservice": "S-1-5-19",
    "nt authority\\localservice": "S-1-5-19",
    "system": "S-1-5-18",
    "localsystem": "S-1-5-18",
    "nt authority\\system": "S-1-5-18",
}


class IntakeTaskError(Exception):
    """The task could not be registered or removed; the text says why."""


def principal(account: str) -> tuple[str, str]:
    """The task's user id and its logon type for an admin's account name."""
    name = account.strip()
    sid = WELL_KNOWN_ACCOUNTS.get(name.lower())
    if sid:
        return sid, "ServiceAccount"
    if name.endswith("$") and "\\" in name:
        return name, "Password"  # a gMSA: Windows retrieves its password itself
    raise IntakeTaskError(
        f"Konto {name!r}: ein Dienstkonto (NetworkService, LocalService, SYSTEM) oder ein "
        "gruppenverwaltetes Dienstkonto (DOMÄNE\\name$) angeben / a service account or a gMSA"
    )


def task_xml(account: str, python_dir: Path) -> str:
    user_id, logon_type = principal(account)
    command = escape(str(python_dir / "pythonw.exe"))  # pythonw: no console window
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="{TASK_NAMESPACE}">
  <RegistrationInfo>
    <Description>Bürgerbüro Desk: Online-Anträge abholen (buergerbuero intake --loop)</Description>
  </RegistrationInfo>
  <Triggers><BootTrigger><Enabled>true</Enabled></BootTrigger></Triggers>
  <Principals>
    <Principal id="Intake">
      <UserId>{escape(user_id)}</UserId>
      <LogonType>{logon_type}</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>
  </Settings>
  <Actions Context="Intake">
    <Exec>
      <Command>{command}</Command>
      <Arguments>-m app.cli intake --loop</Arguments>
      <WorkingDirectory>{escape(str(python_dir))}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""


def _schtasks(*arguments: str) -> None:
    try:
        done = subprocess.run(
            ["schtasks", *arguments], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise IntakeTaskError(f"schtasks: {error}") from error
    if done.returncode != 0:
        raise IntakeTaskError(f"schtasks {arguments[0]}: {(done.stderr or done.stdout).strip()}")


def install(account: str, python_dir: Path) -> None:
    """Registers (or replaces) the task; schtasks wants the definition as a UTF-16 file."""
    definition = task_xml(account, python_dir)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "intake-task.xml"
        path.write_text(definition, encoding="utf-16")
        _schtasks("/Create", "/TN", TASK_NAME, "/XML", str(path), "/F")


def remove() -> None:
    _schtasks("/Delete", "/TN", TASK_NAME, "/F")


def intake_task_command(action: str, account: str | None) -> int:
    python_dir = Path(sys.executable).resolve().parent
    try:
        if action == "show":
            print(task_xml(account or "NetworkService", python_dir))
            return 0
        if action == "install":
            if not account:
                raise IntakeTaskError("install: --account fehlt / missing")
            install(account, python_dir)
        else:
            remove()
    except IntakeTaskError as error:
        print(f"buergerbuero intake-task: {error}", file=sys.stderr)
        return 2
    print(json.dumps({"task": TASK_NAME, "action": action, "account": account}))
    return 0
