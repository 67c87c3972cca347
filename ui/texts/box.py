"""The pickup box page and its loading dialog."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "box.office": ("Bürger&büro:", "&Office:"),
    "box.filter": ("&Zeigen:", "S&how:"),
    "box.search": ("Su&che (Fach, Vorgang):", "Sea&rch (compartment, case):"),
    "box.filter.all": ("alle Fächer", "all compartments"),
    "box.filter.free": ("frei", "free"),
    "box.filter.loaded": ("belegt", "loaded"),
    "box.filter.overdue": ("Frist abgelaufen", "past the deadline"),
    "box.filter.door_open": ("Tür offen", "door open"),
    "box.filter.locked": ("gesperrt (falsche Codes)", "locked (wrong codes)"),
    "box.filter.blocked": ("außer Betrieb", "out of order"),
    "box.filter.conflict": ("Konflikt", "conflict"),
    "box.state.free": ("frei", "free"),
    "box.state.loaded": ("belegt", "loaded"),
    "box.state.overdue": ("Frist abgelaufen", "past the deadline"),
    "box.state.door_open": ("Tür offen", "door open"),
    "box.state.reserved": ("wird geöffnet", "opening"),
    "box.state.retrieving": ("wird zurückgenommen", "being taken back"),
    "box.state.collected": ("abgeholt", "collected"),
    "box.state.locked": ("gesperrt", "locked"),
    "box.state.blocked": ("außer Betrieb", "out of order"),
    "box.state.conflict": (
        "Konflikt: Box und Datenbank weichen ab",
        "conflict: box and database differ",
    ),
    "box.col.compartment": ("Fach", "Compartment"),
    "box.col.state": ("Zustand", "State"),
    "box.col.case": ("Vorgang", "Case"),
    "box.col.since": ("seit", "since"),
    "box.col.deadline": ("abholbar bis", "collect by"),
    "box.col.size": ("Größe", "Size"),
    "box.col.reach": ("Höhe", "Height"),
    "box.reach.low": ("niedrig (barrierefrei)", "low (step-free)"),
    "box.tab.compartments": ("&Fächer", "&Compartments"),
    "box.tab.returns": ("&Zurücknehmen", "&Take back"),
    "box.tab.to_load": ("Zu be&laden", "To loa&d"),
    "box.action.load": ("&Beladen…", "&Load…"),
    "box.action.take_back": ("Zu&rücknehmen", "Take bac&k"),
    "box.action.renew": ("&Neuer Code", "&New code"),
    "box.action.sync": ("&Aktualisieren", "&Refresh"),
    "box.issues": ("Für die Leitung: {issues}", "For the supervisor: {issues}"),
    "box.summary": (
        "{free} von {total} Fächern frei; {returns} zurückzunehmen; {waiting} zu beladen",
        "{free} of {total} compartments free; {returns} to take back; {waiting} to load",
    ),
    "box.pick_loaded": ("Bitte ein belegtes Fach wählen", "Please choose a loaded compartment"),
    "box.taking_back": (
        "Fach {compartment} ist offen: Dokument entnehmen und Tür schließen",
        "Compartment {compartment} is open: take the document and close the door",
    ),
    "box.renewed": (
        "Neuer Code für {reference} versandt; der alte gilt nicht mehr",
        "A new code for {reference} was sent; the old one no longer works",
    ),
    "box.load.title": ("In die Ausgabebox legen", "Put into the pickup box"),
    "box.load.scan": ("&Dokument oder Vorgang:", "&Document or case:"),
    "box.load.scan_hint": (
        "Original scannen oder Nummer tippen, dann Enter",
        "Scan the original or type its number, then Enter",
    ),
    "box.load.step_free": (
        "&Barrierefrei (niedriges Fach)",
        "&Step-free (a low compartment)",
    ),
    "box.load.hold": ("&Abholfrist:", "&Hold period:"),
    "box.load.days": (" Tage", " days"),
    "box.load.second": ("&Zweite Person (Login):", "&Second person (login):"),
    "box.load.open": ("Fach ö&ffnen", "&Open compartment"),
    "box.load.working": ("Die Box wird gefragt …", "Asking the box …"),
    "box.load.opened": (
        "Fach {compartment} ist offen: Dokument für {reference} einlegen und Tür schließen. "
        "Der Abholcode geht an die Bürgerin / den Bürger, sobald die Tür zu ist.",
        "Compartment {compartment} is open: put in the document for {reference} and close the "
        "door. The pickup code goes to the citizen once the door is shut.",
    ),
    "box.load.code_sent": (
        "{reference} liegt in Fach {compartment}; der Abholcode ist gesendet.",
        "{reference} is in compartment {compartment}; the pickup code has been sent.",
    ),
    "box.load.loaded": (
        "{reference} liegt in Fach {compartment}, aber der Abholcode erreichte niemanden; "
        "der nächste Abgleich sendet einen neuen.",
        "{reference} is in compartment {compartment}, but the pickup code reached nobody; the "
        "next sync sends a new one.",
    ),
    "box.load.cancelled": (
        "Die Tür von Fach {compartment} wurde leer geschlossen: nichts eingelagert.",
        "The door of compartment {compartment} was closed empty: nothing is in the box.",
    ),
    "box.load.collected": (
        "{reference} wurde schon abgeholt.",
        "{reference} has already been collected.",
    ),
    "box.load.retrieving": (
        "Fach {compartment} ist zur Rücknahme offen.",
        "Compartment {compartment} is open to be taken back.",
    ),
    "box.load.returned": (
        "{reference} ist zurückgenommen.",
        "{reference} has been taken back.",
    ),
}
