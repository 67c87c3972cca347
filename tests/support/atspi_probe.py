"""A screen reader's view of the window, from outside the process: run by Debian's python3
with pyatspi on the session's AT-SPI bus. Prints one JSON object: what it found, what it did.

It finds the application, lists every control that is showing, opens the walk-in dialog
through the toolbar the way an assistive technology presses a button, reads the dialog and
closes it, then types into the search field and reads the count in the status bar again."""

from __future__ import annotations

import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]

APP_NAME = "atspi_app"
CONTAINER_ROLES = {"filler", "panel", "scroll pane", "viewport", "page tab list", "split pane"}


def wait(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    return None


def application():
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is not None and app.name == APP_NAME:
            return app
    return None


def walk(node, depth=0, inside_table=False):
    try:
        role, name = node.getRoleName(), node.name
        states = node.getState()
    except Exception:  # a node that went away while we looked
        return
    showing = states.contains(pyatspi.STATE_SHOWING)
    yield {
        "role": role,
        "name": name,
        "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
        "showing": showing,
        "enabled": states.contains(pyatspi.STATE_ENABLED),
        "in_table": inside_table,
        "depth": depth,
    }
    if depth > 30 or (inside_table and role == "table cell"):
        return
    table = inside_table or role in ("table", "tree table", "list")
    for index in range(min(node.childCount, 400)):
        child = node.getChildAtIndex(index)
        if child is not None:
            yield from walk(child, depth + 1, table)


def find(node, role, name_part=""):
    for entry in _nodes(node):
        try:
            if entry.getRoleName() == role and name_part in (entry.name or ""):
                return entry
        except Exception:
            continue
    return None


def _nodes(node):
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for index in range(min(count, 400)):
        child = node.getChildAtIndex(index)
        if child is not None:
            yield from _nodes(child)


def showing(node) -> bool:
    try:
        return bool(node.getState().contains(pyatspi.STATE_SHOWING))
    except Exception:  # gone from the tree: not showing
        return False


def press(node) -> bool:
    action = node.queryAction()
    for index in range(action.nActions):
        if action.getName(index) in ("Press", "press", "click", "Toggle"):
            return bool(action.doAction(index))
    return bool(action.doAction(0))


def main() -> int:
    report: dict[str, object] = {}
    app = wait(application)
    if app is None:
        print(json.dumps({"error": "application not on the AT-SPI bus"}))
        return 2
    window = wait(lambda: find(app, "frame", "Bürgerbüro Desk"))
    report["window"] = window.name if window else None
    count = wait(lambda: find(app, "label", "Vorgängen"))
    report["count_before"] = count.name if count else None
    report["controls"] = [n for n in walk(app) if n["showing"]]

    new_case = find(app, "push button", "Neuer Vorgang")
    report["new_case_button"] = new_case.name if new_case else None
    if new_case is not None:
        press(new_case)
        dialog = wait(lambda: find(app, "dialog", "Neuer Vorgang"))
        report["dialog"] = dialog.name if dialog else None
        if dialog is not None:
            report["dialog_controls"] = [n for n in walk(dialog) if n["showing"]]
            cancel = find(dialog, "push button", "Abbrechen")
            if cancel is not None:
                press(cancel)
            report["dialog_closed"] = bool(wait(lambda: not showing(dialog) or None, 10))

    search = find(app, "text", "Suche")
    report["search"] = search.name if search else None
    if search is not None:
        search.queryEditableText().setTextContents("xyzzy-keiner")
        # nothing found behind the default filter "Offene": the status bar says why
        changed = wait(lambda: find(app, "label", "Keine Treffer"), 20)
        report["count_after"] = changed.name if changed else None
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
