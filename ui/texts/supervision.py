"""The supervisors' dashboard, the quarantine, the intake and the administration."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "admin.title": ("Benutzer, Rollen und Bürgerbüros", "Users, roles and offices"),
    "admin.users": ("Benutzer", "Users"),
    "admin.offices": ("Bürgerbüros", "Offices"),
    "admin.login": ("&Anmeldename (Windows)", "&Login (Windows)"),
    "admin.name": ("&Name", "&Name"),
    "admin.role": ("&Rolle", "&Role"),
    "admin.office": ("&Bürgerbüro", "&Office"),
    "admin.office_name": ("Bezeichnung", "Name"),
    "admin.active": ("aktiv", "active"),
    "admin.inactive": ("deaktiviert", "deactivated"),
    "admin.save_user": ("Benutzer spei&chern", "&Save user"),
    "admin.save_office": ("Büro s&peichern", "Save o&ffice"),
    "admin.saved": ("Gespeichert: {what}", "Saved: {what}"),
    "admin.missing": ("Anmeldename und Name sind Pflichtfelder", "Login and name are required"),
    "intake.never": ("Portal: noch nicht abgerufen", "Portal: not pulled yet"),
    "intake.status_name": ("Status des Online-Eingangs", "Online intake status"),
    "intake.open_quarantine": ("{count} offen in Quarantäne", "{count} open in quarantine"),
    "intake.ok": (
        "Portal erreichbar · letzter Abruf {at}: {received} neu{forms}, "
        "{quarantined} in Quarantäne",
        "Portal reachable · last pull {at}: {received} new{forms}, {quarantined} quarantined",
    ),
    "intake.ok_paper": (
        "Formulare · letzter Abruf {at}: {received} neu, {quarantined} in Quarantäne",
        "Forms · last pull {at}: {received} new, {quarantined} quarantined",
    ),
    "intake.forms": (" (davon {forms} per PDF-Formular)", " ({forms} of them PDF forms)"),
    "intake.busy": (
        "Portal: Abruf läuft an einem anderen Platz ({at})",
        "Portal: another seat is pulling ({at})",
    ),
    "intake.down": (
        "Portal NICHT erreichbar ({at}): {detail} – neuer Versuch in {retry} s",
        "Portal NOT reachable ({at}): {detail} – retrying in {retry} s",
    ),
    "quarantine.title": (
        "Quarantäne: nicht übernommene Online-Anträge",
        "Quarantine: online applications not taken",
    ),
    "quarantine.explain": (
        "Diese Anträge wurden nicht übernommen. Online-Anträge: das Portal hat die Ablehnung "
        "erhalten und informiert die antragstellende Person. PDF-Formulare (Einreichung "
        "„pdf-…“): bitte die Person selbst informieren. Die empfangenen Daten bleiben "
        "gespeichert.",
        "These applications were not taken. Online applications: the portal received the "
        'rejection and tells the applicant. PDF forms (submission "pdf-…"): please tell the '
        "applicant yourself. The received data are kept.",
    ),
    "quarantine.received": ("Eingang", "Received"),
    "quarantine.submission": ("Einreichung", "Submission"),
    "quarantine.reason": ("Grund", "Reason"),
    "quarantine.service": ("Leistung", "Service"),
    "quarantine.applicant": ("Antragsteller/in", "Applicant"),
    "quarantine.unknown": ("(nicht lesbar)", "(not readable)"),
    "quarantine.part.data": ("die Antragsdaten", "the form data"),
    "quarantine.part.metadata": ("die Begleitdaten", "the metadata"),
    "quarantine.part.attachment": ("eine Anlage", "an attachment"),
    "quarantine.size": ("{size} MB", "{size} MB"),
    "quarantine.required": ("Pflichtangabe fehlt ({field})", "required entry missing ({field})"),
    "quarantine.save_raw": ("Rohdaten &speichern…", "&Save raw data…"),
    "quarantine.saved": ("Gespeichert: {path}", "Saved: {path}"),
    "quarantine.settle": ("Als &erledigt markieren…", "Mark as se&ttled…"),
    "quarantine.settle_question": (
        "Wie wurde die Einreichung erledigt? Sie verschwindet aus der Liste; ihre Daten bleiben "
        "gespeichert.",
        "How was the submission settled? It leaves the list; its data are kept.",
    ),
    "quarantine.settled": ("Erledigt: {submission}", "Settled: {submission}"),
    "settle.applicant-informed": (
        "Antragsteller/in informiert (neu einreichen)",
        "Applicant informed (to submit again)",
    ),
    "settle.case-recorded": (
        "Vorgang von Hand angelegt",
        "Case opened by hand",
    ),
    "settle.not-an-application": (
        "Kein Antrag (Test, Spam, doppelt)",
        "Not an application (test, spam, duplicate)",
    ),
    "dashboard.from": ("&Von:", "&From:"),
    "dashboard.to": ("&bis:", "&to:"),
    "dashboard.office": ("Bürger&büro:", "O&ffice:"),
    "dashboard.all_offices": ("alle vier Bürgerbüros", "all four offices"),
    "dashboard.refresh": ("&Aktualisieren", "&Refresh"),
    "dashboard.export.csv": ("CSV…", "CSV…"),
    "dashboard.export.xlsx": ("XLSX…", "XLSX…"),
    "dashboard.export.pdf": ("&PDF-Bericht…", "&PDF report…"),
    "dashboard.export.title": ("Bericht speichern", "Save the report"),
    "dashboard.exported": ("Gespeichert: {path}", "Saved: {path}"),
    "dashboard.incoming": ("Eingang", "Incoming"),
    "dashboard.backlog": (
        "Offener Rückstand (Enter: die Vorgänge)",
        "Open backlog (Enter: the cases)",
    ),
    "dashboard.sla": (
        "Fristen je Leistung (Enter: die Vorgänge)",
        "SLA per service (Enter: the cases)",
    ),
    "dashboard.processing": ("Bearbeitungszeiten", "Processing times"),
    "dashboard.figures": ("Weitere Kennzahlen", "Further figures"),
    "dashboard.chart.incoming": ("Eingang je Woche nach Kanal", "Incoming per week by channel"),
    "dashboard.chart.backlog": (
        "Offener Rückstand nach Alter (Tage) und Bürgerbüro",
        "Open backlog by age (days) and office",
    ),
    "dashboard.summary": (
        "{total} Vorgänge im Zeitraum; Online-Anteil (Portal) {share}. Die Zahlen je Woche stehen "
        "in der Tabelle unter „Weitere Kennzahlen“ und im Export.",
        "{total} cases in the period; online share (portal) {share}. The weekly figures are in "
        "the export.",
    ),
    "dashboard.online_share": ("Online-Anteil (Portal)", "Online share (portal)"),
    "dashboard.weeks": ("Wochen {first} bis {last}", "Weeks {first} to {last}"),
    "dashboard.loading": ("Die Zahlen werden berechnet …", "Computing the figures …"),
    "dashboard.as_of": ("Stand {as_of}", "As of {as_of}"),
}
