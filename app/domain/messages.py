"""Messages the core shows to people, German first, English selectable.

The core raises errors with a message key; the UI picks the language. Keeping the texts
beside the rules that produce them keeps them in step.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # field validation
    "field.required": ("Pflichtfeld", "Required"),
    "field.too_long": ("Höchstens {max} Zeichen", "At most {max} characters"),
    "field.pattern": ("Ungültiges Format: {hint}", "Invalid format: {hint}"),
    "field.date": ("Kein gültiges Datum (TT.MM.JJJJ)", "Not a valid date (DD.MM.YYYY)"),
    "field.date_future": (
        "Datum darf nicht in der Zukunft liegen",
        "Date must not be in the future",
    ),
    "field.date_past": (
        "Datum darf nicht in der Vergangenheit liegen",
        "Date must not be in the past",
    ),
    "field.choice": ("Bitte einen Eintrag aus der Liste wählen", "Choose an entry from the list"),
    "field.integer": ("Ganze Zahl zwischen {min} und {max}", "Whole number from {min} to {max}"),
    "field.email": ("Keine gültige E-Mail-Adresse", "Not a valid e-mail address"),
    "field.unknown": ("Unbekanntes Feld {name}", "Unknown field {name}"),
    # the schema check at start-up
    "schema.empty": (
        "Die Datenbank ist leer (kein Schema); die Anwendung erwartet Schema {application}. "
        "Bitte 'buergerbuero db upgrade' ausführen.",
        "The database is empty (no schema); the application expects schema {application}. "
        "Please run 'buergerbuero db upgrade'.",
    ),
    "schema.newer": (
        "Das Datenbankschema {database} ist neuer als diese Programmversion (kennt bis "
        "{application}). Bitte die Anwendung aktualisieren.",
        "The database schema {database} is newer than this version of the application (which "
        "knows up to {application}). Please update the application.",
    ),
    "schema.unknown_revision": (
        "Die Schemaversion {database} gibt es nicht; diese Programmversion kennt bis "
        "{application} ('buergerbuero db current' zeigt beide).",
        "There is no schema revision {database}; this version of the application knows up to "
        "{application} ('buergerbuero db current' shows both).",
    ),
    "schema.older": (
        "Das Datenbankschema {database} ist älter als diese Programmversion (erwartet "
        "{application}). Bitte 'buergerbuero db upgrade' ausführen.",
        "The database schema {database} is older than this version of the application "
        "(expects {application}). Please run 'buergerbuero db upgrade'.",
    ),
    # the database and the counter printer, for the clerk
    "database.locked": (
        "Die Datenbank ist gerade gesperrt (ein anderer Arbeitsplatz schreibt): {detail}",
        "The database is locked (another seat is writing): {detail}",
    ),
    "audit.anchor_folder": (
        "Der Ordner der Audit-Anker {folder} ist nicht erreichbar ({detail})",
        "The audit anchor folder {folder} cannot be used ({detail})",
    ),
    "database.refused": (
        "Die Datenbank verweigert die Arbeit: {detail}. Bitte die Rechte des "
        "Datenbankbenutzers prüfen (siehe docs/admin.md).",
        "The database refuses the work: {detail}. Please check the database user's rights "
        "(see docs/admin.md).",
    ),
    "database.no_file": (
        "Unter {path} ist keine Datenbank; 'buergerbuero db upgrade' legt sie an (oder "
        "database_url bzw. data_dir prüfen).",
        "There is no database at {path}; 'buergerbuero db upgrade' creates it (or check "
        "database_url or data_dir).",
    ),
    "database.url_invalid": (
        "Die Einstellung database_url ist ungültig: {problem}",
        "The database_url setting is invalid: {problem}",
    ),
    "schema.unversioned": (
        "Die Datenbank hat die Tabellen der Anwendung, aber keine Schemaversion (die Tabelle "
        "alembic_version fehlt oder ist leer). 'db upgrade' würde scheitern: bitte die "
        "Datenbank aus der Sicherung wiederherstellen oder, nachdem geprüft ist, dass die "
        "Tabellen Schema {application} entsprechen, 'buergerbuero db stamp {application}' "
        "ausführen.",
        "The database has the application's tables but no schema version (the table "
        "alembic_version is missing or empty). 'db upgrade' would fail: restore the database "
        "from its backup or, after checking that the tables match schema {application}, run "
        "'buergerbuero db stamp {application}'.",
    ),
    "database.unavailable": (
        "Die Datenbank ist nicht erreichbar: {detail}",
        "The database cannot be reached: {detail}",
    ),
    "printer.none": ("Kein Drucker eingerichtet", "No printer set up"),
    "printer.missing": (
        "Drucker „{printer}“ ist nicht eingerichtet oder nicht erreichbar",
        "Printer “{printer}” is not set up or cannot be reached",
    ),
    "printer.not_ready": (
        "Drucker „{printer}“ ist nicht bereit (offline, kein Papier oder gestoppt). "
        "Der Vorgang bleibt unverändert; bitte Drucker prüfen und erneut drucken.",
        "Printer “{printer}” is not ready (offline, out of paper or stopped). "
        "The case is unchanged; please check the printer and print again.",
    ),
    "printer.refused": (
        "Drucker „{printer}“ nimmt keinen Auftrag an",
        "Printer “{printer}” does not accept the job",
    ),
    "printer.aborted": (
        "Drucker „{printer}“ hat den Auftrag abgebrochen",
        "Printer “{printer}” aborted the job",
    ),
    # documents
    "document.not_decided": (
        "Vorgang {reference} ist noch nicht entschieden: erst bewilligen oder ablehnen",
        "Case {reference} is not decided yet: approve or reject it first",
    ),
    "document.no_original": (
        "Für Vorgang {reference} wird kein Original gedruckt ({document})",
        "No original is printed for case {reference} ({document})",
    ),
    "document.register_missing": (
        "Kein Original für Vorgang {reference}: es fehlen Angaben aus dem Melderegister "
        "({missing}). Bitte auf dem Vorgang „Registerdaten bestätigen“ ausfüllen.",
        "No original for case {reference}: facts from the population register are missing "
        "({missing}). Please fill in “Confirm register data” on the case.",
    ),
    "document.register_field_unknown": (
        "„{field}“ ist keine Registerangabe für dieses Dokument",
        "“{field}” is not a register fact of this document",
    ),
    "document.register_date_invalid": (
        "{label}: „{value}“ ist kein Datum (TT.MM.JJJJ)",
        "{label}: “{value}” is not a date (DD.MM.YYYY)",
    ),
    "document.not_found": (
        "Dokument {document_id} nicht gefunden",
        "Document {document_id} not found",
    ),
    "document.reservation_gone": (
        "Die reservierte Dokumentnummer ({reservation_id}) wurde inzwischen als verdorben "
        "eingetragen; bitte das Original erneut drucken",
        "The reserved document number ({reservation_id}) was voided meanwhile; "
        "please print the original again",
    ),
    "document.seal_failed": (
        "Das Original wurde nicht gesiegelt ({detail}); die Nummer {number} ist als verdorben "
        "eingetragen, der Vorgang bleibt unverändert",
        "The original was not sealed ({detail}); number {number} is recorded as void, "
        "the case is unchanged",
    ),
    # transitions
    "case.not_in_state": (
        "Vorgang {reference} ist „{status}“; „{action}“ ist nur möglich bei: {allowed}",
        "Case {reference} is '{status}'; '{action}' is only possible when: {allowed}",
    ),
    "case.no_fee_due": (
        "Vorgang {reference} ist gebührenfrei: es gibt keine Zahlung zu erfassen",
        "Case {reference} is free of charge: there is no payment to record",
    ),
    "case.claimed_by_other": (
        "Vorgang {reference} wird bereits von {assignee} bearbeitet",
        "Case {reference} is already being worked on by {assignee}",
    ),
    "case.not_assignee": (
        "Vorgang {reference} ist {assignee} zugewiesen, nicht Ihnen",
        "Case {reference} is assigned to {assignee}, not to you",
    ),
    "case.identity_insufficient": (
        "Identität nicht ausreichend nachgewiesen: erreicht „{actual}“, nötig „{required}“",
        "Identity not sufficiently verified: reached '{actual}', needs '{required}'",
    ),
    "case.identity_note_required": (
        "Eine Sichtprüfung ohne Lesegerät braucht einen Vermerk: welches Dokument, warum ohne "
        "Lesegerät",
        "A visual check without the reader needs a note: which document, why without the reader",
    ),
    "case.fee_unpaid": (
        "Gebühr von {fee} ist weder bezahlt noch per Gebührenbescheid festgesetzt",
        "Fee of {fee} is neither paid nor set by a fee notice",
    ),
    "case.data_entry_pending": (
        "{reference} kam als Scan des Papierformulars: erst die Angaben erfassen "
        "(Daten erfassen…), dann entscheiden",
        "{reference} arrived as a scan of the paper form: enter its data first "
        "(Enter data…), then decide",
    ),
    "case.data_entered_already": (
        "Die Angaben zu {reference} sind schon erfasst",
        "The data of {reference} has been entered already",
    ),
    "case.reason_required": (
        "Für eine Ablehnung ist eine Begründung nötig",
        "A rejection needs a reason",
    ),
    "case.question_required": ("Die Rückfrage ist leer", "The question is empty"),
    "case.no_reply_channel": (
        "Für Vorgang {reference} ist keine E-Mail-Adresse für Rückfragen bekannt",
        "Case {reference} has no e-mail address for questions",
    ),
    "mail.unavailable": (
        "Die E-Mail konnte nicht versandt werden ({detail}); der Vorgang ist unverändert",
        "The e-mail could not be sent ({detail}); the case is unchanged",
    ),
    "sms.unavailable": (
        "Die SMS konnte nicht versandt werden ({detail}); sie wird erneut versucht",
        "The text message could not be sent ({detail}); it will be tried again",
    ),
    "sms.refused": (
        "Das SMS-Gateway lehnt die Nachricht ab ({detail})",
        "The SMS gateway refuses the message ({detail})",
    ),
    "box.unavailable": (
        "Die Ausgabebox antwortet nicht ({detail}); es wurde nichts geöffnet oder geändert",
        "The pickup box does not answer ({detail}); nothing was opened or changed",
    ),
    "box.refused": (
        "Die Ausgabebox lehnt ab ({detail}); es wurde nichts geändert",
        "The pickup box refuses ({detail}); nothing was changed",
    ),
    "box.not_configured": (
        "Für das Bürgerbüro {office} ist keine Ausgabebox eingerichtet (pickup_boxes)",
        "No pickup box is set up for office {office} (pickup_boxes)",
    ),
    "box.no_free_compartment": (
        "In der Ausgabebox ({office}) ist kein passendes Fach frei",
        "No suitable compartment is free in the pickup box ({office})",
    ),
    "box.compartment_taken": (
        "Fach {compartment} wurde gerade von jemand anderem belegt; bitte erneut versuchen",
        "Compartment {compartment} was just taken by someone else; please try again",
    ),
    "box.not_eligible": (
        "Vorgang {reference} kann nicht in die Ausgabebox: {reasons}",
        "Case {reference} cannot go into the pickup box: {reasons}",
    ),
    "box.service_not_eligible": (
        "die Leistung ist für die Ausgabebox nicht freigegeben",
        "the service is not enabled for the pickup box",
    ),
    "box.not_printed": ("das Original ist noch nicht gedruckt", "the original is not printed yet"),
    "box.fee_open": ("die Gebühr ist nicht bezahlt", "the fee is not paid"),
    "box.no_contact": (
        "keine E-Mail-Adresse (oder Mobilnummer, wo SMS eingerichtet ist) für den Abholcode",
        "no e-mail address (or mobile number, where SMS is set up) for the pickup code",
    ),
    "box.no_second_factor": ("kein Geburtsdatum als zweiter Faktor", "no date of birth"),
    "box.four_eyes": (
        "Vier-Augen-Beladung: eine zweite Person muss bestätigen",
        "Four-eyes loading: a second person must confirm",
    ),
    "box.case_in_box": (
        "Vorgang {reference} liegt schon in der Ausgabebox ({office}, Fach {compartment})",
        "Case {reference} is already in the pickup box ({office}, compartment {compartment})",
    ),
    "box.scan_unknown": (
        "Zu „{scanned}“ gibt es weder ein Dokument noch einen Vorgang",
        "No document or case is known for “{scanned}”",
    ),
    "box.loading_not_found": (
        "Keine aktive Belegung {loading}",
        "No active loading {loading}",
    ),
    "box.loading_state": (
        "Fach für {reference}: „{step}“ ist im Zustand „{state}“ nicht möglich",
        "Compartment for {reference}: '{step}' is not possible in state '{state}'",
    ),
    "mailbox.unavailable": (
        "Das Postfach für Antragsformulare ist nicht erreichbar ({detail}); nichts ist verloren, "
        "der nächste Abruf versucht es erneut",
        "The mailbox for application forms is unreachable ({detail}); nothing is lost, the next "
        "pull tries again",
    ),
    "forms.folder_unavailable": (
        "Der Scan-Ordner {folder} ist nicht lesbar ({detail}); nichts ist verloren, der nächste "
        "Abruf versucht es erneut",
        "The scan folder {folder} cannot be read ({detail}); nothing is lost, the next pull "
        "tries again",
    ),
    "quarantine.not_listed": (
        "Die Einreichung {submission} steht nicht (mehr) in der Quarantäne; die Liste wird "
        "neu geladen",
        "Submission {submission} is not (or no longer) in the quarantine; the list is reloaded",
    ),
    "mailbox.untrusted": (
        "Das Zertifikat des Postfachs {detail} ist nicht vertrauenswürdig; es wurde nichts "
        "abgerufen (IT: Zertifikat der Stadt-CA auf diesem Rechner prüfen)",
        "The certificate of mailbox {detail} is not trusted; nothing was fetched (IT: check "
        "the city CA's certificate on this computer)",
    ),
    "mailbox.refused": (
        "Das Postfach für Antragsformulare hat die Anmeldung abgelehnt ({detail}); bitte "
        "Benutzer und Passwort prüfen",
        "The mailbox for application forms refused the login ({detail}); please check user and "
        "password",
    ),
    "mail.not_configured": (
        "An diesem Platz ist kein E-Mail-Versand eingerichtet",
        "No mail relay is configured on this seat",
    ),
    "case.note_empty": ("Die Notiz ist leer", "The note is empty"),
    "case.concurrent": (
        "Vorgang {reference} wurde inzwischen geändert ({detail}); bitte neu laden",
        "Case {reference} was changed meanwhile ({detail}); please reload",
    ),
    "case.not_found": ("Vorgang {case_id} nicht gefunden", "Case {case_id} not found"),
    "attachment.not_found": (
        "Anlage {attachment_id} nicht gefunden",
        "Attachment {attachment_id} not found",
    ),
    "office.unknown": (
        "Eine Dienststelle {office} gibt es nicht (bekannt: {known})",
        "There is no office {office} (known: {known})",
    ),
    "user.permission": (
        "„{action}“ erfordert die Rolle {role}",
        "'{action}' requires the role {role}",
    ),
    "user.unknown_login": (
        "Die Anmeldung „{login}“ ist keinem Benutzer zugeordnet; bitte an die IT wenden",
        "The login '{login}' is not mapped to a user; please contact IT",
    ),
    "user.inactive": ("Benutzer {login} ist deaktiviert", "User {login} is deactivated"),
    "user.target_unknown": ("Benutzer {login} unbekannt", "User {login} is unknown"),
    "intake.encryption-issue": ("Nicht entschlüsselbar: {detail}", "Cannot be decrypted: {detail}"),
    "intake.invalid-key-id": (
        "Mit einem unbekannten Schlüssel verschlüsselt: {detail}",
        "Encrypted with an unknown key: {detail}",
    ),
    "intake.syntax-violation": ("Formal fehlerhaft: {detail}", "Malformed: {detail}"),
    "intake.schema-violation": (
        "Metadaten entsprechen nicht dem Schema: {detail}",
        "Metadata violate the schema: {detail}",
    ),
    "intake.data-schema-violation": (
        "Antragsdaten ungültig: {detail}",
        "Application data invalid: {detail}",
    ),
    "intake.hash-mismatch": (
        "Prüfsumme stimmt nicht (Inhalt verändert?): {detail}",
        "Checksum mismatch (content altered?): {detail}",
    ),
    "intake.attachment-too-large": ("Anlage zu groß: {detail}", "Attachment too large: {detail}"),
    "intake.missing-attachment": ("Anlage fehlt: {detail}", "Attachment missing: {detail}"),
    "intake.unsupported-service": (
        "Leistung wird hier nicht angeboten: {detail}",
        "Service not offered here: {detail}",
    ),
    "intake.unknown-case": (
        "Antwort zu einem unbekannten Vorgang: {detail}",
        "Answer for an unknown case: {detail}",
    ),
    "catalogue.service_unknown": ("Unbekannte Leistung {service}", "Unknown service {service}"),
    "catalogue.invalid": (
        "Leistungskatalog ungültig: {detail}",
        "Service catalogue invalid: {detail}",
    ),
}


def render(key: str, language: str = "de", **params: object) -> str:
    """The text for `key` in `language` ('de' or 'en'), with its parameters filled in."""
    german, english = MESSAGES.get(key, (key, key))
    template = english if language == "en" else german
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
