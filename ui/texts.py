"""The window's own texts, German first, then English, by key; `ui.i18n.tr` picks one. The
core's messages (errors, rules) are app.domain.messages'."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Bürgerbüro Desk", "Bürgerbüro Desk"),
    "app.title_profile": (
        "Bürgerbüro Desk – Profil „{profile}“ (eigene Daten, nicht die des Arbeitsplatzes)",
        "Bürgerbüro Desk – profile “{profile}” (its own data, not this seat's)",
    ),
    "menu.file": ("&Datei", "&File"),
    "menu.case": ("Vorga&ng", "&Work"),
    "menu.view": ("&Ansicht", "&View"),
    "menu.admin": ("Ver&waltung", "A&dministration"),
    "menu.help": ("&Hilfe", "&Help"),
    "action.shortcuts": ("&Tastenkürzel…", "&Keyboard shortcuts…"),
    "action.find": ("&Suchen", "&Search"),
    "shortcuts.title": ("Tastenkürzel", "Keyboard shortcuts"),
    "shortcuts.intro": (
        "Jede Aufgabe geht ohne Maus. Tab wechselt zum nächsten Feld, Umschalt+Tab zurück, "
        "Alt und der unterstrichene Buchstabe löst eine Schaltfläche aus, Esc schließt einen "
        "Dialog (mit Rückfrage, wenn Eingaben verloren gingen).",
        "Every task works without a mouse. Tab moves to the next field, Shift+Tab back, Alt and "
        "the underlined letter presses a button, Esc closes a dialog (asking first when input "
        "would be lost).",
    ),
    "shortcuts.what": ("Befehl", "Command"),
    "shortcuts.keys": ("Tasten", "Keys"),
    "shortcuts.page": ("Bereich „{page}“", "Page “{page}”"),
    "action.quit": ("&Beenden", "&Quit"),
    "page.cases": ("&Vorgänge", "Case&s"),
    "page.quarantine": ("&Quarantäne", "&Quarantine"),
    "toolbar.name": ("Aktionen", "Actions"),
    "name.inbox": ("Posteingang", "Inbox"),
    "name.case": ("Vorgang", "Case"),
    "name.message": ("Meldung", "Message"),
    "name.hint": ("Hinweis", "Note"),
    "name.field_error": ("{field}: Fehler", "{field}: error"),
    "name.banner": ("Störungsmeldung", "Fault notice"),
    "name.user": ("Angemeldet als", "Signed in as"),
    "name.count": ("Anzahl der Vorgänge", "Number of cases"),
    "name.pages": ("Bereiche", "Pages"),
    "case.identity_fee": ("Identität · Gebühr", "Identity · Fee"),
    "saved.question": (
        "Rückfrage gesendet; der Vorgang wartet auf die Antwort",
        "Question sent; the case waits for the answer",
    ),
    "attachment.title": ("Anlage: {filename}", "Attachment: {filename}"),
    "attachment.page": ("{filename}, Seite {page}", "{filename}, page {page}"),
    "attachment.broken": (
        "„{filename}“ lässt sich nicht anzeigen: {problem}. Die Datei bleibt unverändert beim "
        "Vorgang gespeichert.",
        "“{filename}” cannot be shown: {problem}. The file stays with the case unchanged.",
    ),
    "attachment.no_pages": ("die PDF-Datei enthält keine Seite", "the PDF has no page"),
    "attachment.no_image": (
        "das Bild ist beschädigt oder in einem unbekannten Format",
        "the image is damaged or in an unknown format",
    ),
    "attachment.other": (
        "{filename} · {media_type} · {size} Bytes (wird hier nicht angezeigt)",
        "{filename} · {media_type} · {size} bytes (not shown here)",
    ),
    "action.new": ("&Neuer Vorgang (Vorsprache)…", "&New case (walk-in)…"),
    "action.claim": ("Ü&bernehmen", "&Claim"),
    "action.release": ("&Freigeben", "&Release"),
    "action.reassign": ("&Zuweisen…", "Re&assign…"),
    "action.refresh": ("&Aktualisieren", "Re&fresh"),
    "action.identity": ("&Identität prüfen…", "&Identity check…"),
    "action.payment": ("Gebühr &erfasst…", "Record fe&e…"),
    "action.approve": ("&Genehmigen", "A&pprove"),
    "action.reject": ("Ab&lehnen…", "Re&ject…"),
    "action.ask": ("&Rückfrage…", "As&k citizen…"),
    "action.enter_data": ("Da&ten erfassen…", "En&ter data…"),
    "inbox.data_entry": ("(Daten erfassen: Scan)", "(enter data: scan)"),
    "ask.title": ("Rückfrage an die antragstellende Person", "Question to the applicant"),
    "ask.prompt": (
        "Was fehlt? Der Text geht per E-Mail an die antragstellende Person; der Vorgang wartet "
        "bis zur Antwort über das Portal:",
        "What is missing? The text goes to the applicant by e-mail; the case waits for the "
        "answer through the portal:",
    ),
    "ask.confirm": ("&Senden", "&Send"),
    "ask.no_mail": (
        "An diesem Arbeitsplatz ist kein E-Mail-Versand eingerichtet (smtp_host): Rückfragen "
        "bitte telefonisch oder über einen anderen Arbeitsplatz",
        "This seat sends no e-mail (smtp_host): ask by phone or from another seat",
    ),
    "ask.no_email": (
        "Keine E-Mail-Adresse der antragstellenden Person bekannt",
        "No e-mail address of the applicant is known",
    ),
    "action.note": ("Notiz &speichern", "Save &note"),
    "action.print": ("&Original drucken…", "Print &original…"),
    "action.reprint": ("Nachdruc&k…", "Print &original again…"),
    "action.register": ("Register&daten bestätigen…", "Confirm register &data…"),
    "register.title": ("Registerdaten bestätigen", "Confirm register data"),
    "register.intro": (
        "Dieser Arbeitsplatz ist nicht an das Melderegister angebunden. Bitte die Angaben aus "
        "dem Register übernehmen; mit „Bestätigen“ stehen sie als „aus dem Melderegister, "
        "bestätigt von“ Ihnen im Vorgang (wird protokolliert). * Pflichtangabe.",
        "This seat is not connected to the population register. Please copy the facts from "
        "the register; “Confirm” records them as “from the register, confirmed by” you "
        "(audited). * required.",
    ),
    "register.confirm": ("&Bestätigen", "&Confirm"),
    "register.busy": ("Wird gespeichert…", "Saving…"),
    "register.date_placeholder": ("TT.MM.JJJJ", "DD.MM.YYYY"),
    "register.missing": (
        "Registerdaten fehlen: {missing}",
        "Register data missing: {missing}",
    ),
    "register.confirmed_by": (
        "Registerdaten: aus dem Melderegister, bestätigt von {login} am {at}",
        "Register data: from the register, confirmed by {login} on {at}",
    ),
    "register.saved": ("Registerdaten bestätigt", "Register data confirmed"),
    "action.verify": ("Dokument &prüfen…", "&Check document…"),
    "action.forms": ("Antrags&formular…", "Application &form…"),
    "forms.title": ("Antragsformular (PDF)", "Application form (PDF)"),
    "forms.intro": (
        "Das ausfüllbare Antragsformular einer Leistung für Bürgerinnen und Bürger ohne "
        "Portalkonto: speichern (zum Versand per E-Mail) oder hier drucken. Ausgefüllte "
        "Formulare kommen über das Formular-Postfach oder den Scan-Ordner als Vorgang zurück.",
        "The fillable application form of a service, for citizens without a portal account: "
        "save it (to send by e-mail) or print it here. Filled forms come back as cases through "
        "the forms mailbox or the scan folder.",
    ),
    "forms.save": ("&Speichern…", "&Save…"),
    "forms.print": ("&Drucken", "&Print"),
    "forms.status": ("Ergebnis", "Result"),
    "forms.working": ("Formular wird erstellt …", "Making the form …"),
    "forms.saved": ("Formular gespeichert: {path}", "Form saved: {path}"),
    "forms.printed": (
        "Formular an „{printer}“ gesendet ({pages} Seiten)",
        "Form sent to “{printer}” ({pages} pages)",
    ),
    "case.documents": ("Dokumente", "Documents"),
    "case.document_line": (
        "{number} · {kind} · ausgestellt {issued} · {prints}× gedruckt",
        "{number} · {kind} · issued {issued} · printed {prints}×",
    ),
    "print.title": ("Druckvorschau {number}", "Print preview {number}"),
    "print.heading": (
        "{kind} Nr. {number} · {pages} Seite(n) · elektronisch gesiegelt",
        "{kind} no. {number} · {pages} page(s) · electronically sealed",
    ),
    "print.page": ("Seite {number} von {total}", "Page {number} of {total}"),
    "print.reprint": (
        "Dieses Dokument wurde schon {count}× gedruckt. Ein weiterer Druck wird als Nachdruck "
        "markiert und im Dokumentenregister gezählt.",
        "This document was printed {count}× before. Another print is marked as a reprint and "
        "counted in the document register.",
    ),
    "print.reprint_mark": ("NACHDRUCK ({count}. Druck)", "REPRINT (print no. {count})"),
    "print.printer": ("Drucker", "Printer"),
    "print.copies": ("Exemplare", "Copies"),
    "print.confirm": ("&Drucken", "&Print"),
    "print.busy": ("Wird gedruckt…", "Printing…"),
    "print.preparing": (
        "Original wird erstellt und gesiegelt…",
        "Making and sealing the original…",
    ),
    "print.no_printer": (
        "Kein Drucker gefunden. Bitte IT verständigen; der Vorgang bleibt unverändert.",
        "No printer found. Please call IT; the case stays as it is.",
    ),
    "verify.title": ("Dokument prüfen", "Check a document"),
    "verify.intro": (
        "Ein vorgelegtes Dokument prüfen: Scan, Foto oder PDF wählen – oder das 2D-Siegel mit dem "
        "Handscanner in das Feld lesen. Geprüft wird gegen die Vertrauensliste der Stadt, ohne "
        "Netz.",
        "Check a document someone brings: choose a scan, photo or PDF – or read the 2D seal "
        "into the field with the hand scanner. It is checked against the city's trust list, "
        "offline.",
    ),
    "verify.choose": ("Datei &wählen…", "Choose &file…"),
    "verify.filter": (
        "PDF und Bilder (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)",
        "PDF and images (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)",
    ),
    "verify.hex_placeholder": (
        "2D-Siegel (Hex vom Handscanner)",
        "2D seal (hex from the hand scanner)",
    ),
    "verify.check": ("&Prüfen", "C&heck"),
    "verify.busy": ("Wird geprüft…", "Checking…"),
    "verify.result": ("Ergebnis", "Result"),
    "verify.no_trust_list": (
        "Keine Vertrauensliste eingerichtet (seal_trust_list_file)",
        "No trust list configured (seal_trust_list_file)",
    ),
    "action.retry": ("Erneut &versuchen", "Tr&y again"),
    "action.language": ("English", "Deutsch"),
    "filter.search": (
        "Suche nach Name oder Aktenzeichen (Strg+F)",
        "Search name or reference (Ctrl+F)",
    ),
    "filter.status": ("Status", "Status"),
    "filter.service": ("Leistung", "Service"),
    "filter.office": ("Bürgerbüro", "Office"),
    "filter.channel": ("Kanal", "Channel"),
    "filter.age": ("Alter", "Age"),
    "filter.all": ("Alle", "All"),
    "filter.open": ("Offene Vorgänge", "Open cases"),
    "filter.mine": ("Meine Vorgänge", "My cases"),
    "age.1": ("älter als 1 Tag", "older than 1 day"),
    "age.2": ("älter als 2 Tage", "older than 2 days"),
    "age.7": ("älter als 7 Tage", "older than 7 days"),
    "age.30": ("älter als 30 Tage", "older than 30 days"),
    "column.reference": ("Aktenzeichen", "Reference"),
    "column.applicant": ("Antragsteller/in", "Applicant"),
    "column.service": ("Leistung", "Service"),
    "column.office": ("Büro", "Office"),
    "column.channel": ("Kanal", "Channel"),
    "column.status": ("Status", "Status"),
    "column.assignee": ("Bearbeitung", "Assignee"),
    "column.received": ("Eingang", "Received"),
    "column.due": ("Frist", "Due"),
    "overdue": ("überfällig", "overdue"),
    "inbox.count": ("{shown} von {total} Vorgängen", "{shown} of {total} cases"),
    "inbox.count_many": (
        "{shown} von mehr als {cap} Vorgängen",
        "{shown} of more than {cap} cases",
    ),
    "inbox.counting": ("{shown} Vorgänge, zähle…", "{shown} cases, counting…"),
    "inbox.loading": ("Lade Vorgänge…", "Loading cases…"),
    "case.none": (
        "Kein Vorgang ausgewählt. Wählen Sie links einen Vorgang.",
        "No case selected. Choose a case on the left.",
    ),
    "case.applicant": ("Antragsteller/in", "Applicant"),
    "case.form": ("Antragsdaten", "Application data"),
    "case.identity": ("Identität", "Identity"),
    "case.fee": ("Gebühr", "Fee"),
    "case.attachments": ("Anlagen", "Attachments"),
    "case.history": ("Verlauf", "History"),
    "case.notes": ("Notizen", "Notes"),
    "case.note_placeholder": ("Neue Notiz…", "New note…"),
    "case.proofs": ("Nachweise", "Proofs"),
    "case.assignee": ("Bearbeitung", "Assignee"),
    "case.reason": ("Begründung", "Reason"),
    "case.no_attachments": ("keine", "none"),
    "case.identity_line": (
        "erreicht: {actual} · nötig: {required}",
        "reached: {actual} · needs: {required}",
    ),
    "case.fee_line": ("{fee} · {state}", "{fee} · {state}"),
    "banner.database": (
        "Die Datenbank ist nicht erreichbar: {detail}. Ihre Eingaben bleiben erhalten.",
        "The database cannot be reached: {detail}. Your input is kept.",
    ),
    "saved.note": ("Notiz gespeichert", "Note saved"),
    "saved.case": ("Vorgang {reference} angelegt", "Case {reference} created"),
    "saved.transition": ("Vorgang {reference}: {status}", "Case {reference}: {status}"),
    "user.line": ("{name} · {role} · {office}", "{name} · {role} · {office}"),
    "role.clerk": ("Sachbearbeitung", "Clerk"),
    "role.supervisor": ("Teamleitung", "Supervisor"),
    "role.admin": ("Administration", "Administrator"),
    "case.fee_after_entry": (
        "– (ergibt sich aus den Angaben: erst Daten erfassen)",
        "– (follows from the data: enter it first)",
    ),
    "entry.title": ("Daten erfassen – {reference}", "Enter data – {reference}"),
    "entry.save": ("&Angaben übernehmen", "&Save data"),
    "entry.scan": ("Scan des Antragsformulars", "Scan of the application form"),
    "entry.no_scan": (
        "Der Scan lässt sich hier nicht anzeigen: bitte beim Vorgang unter „Anlagen“ öffnen.",
        "The scan cannot be shown here: please open it from the case's attachments.",
    ),
    "saved.data_entry": (
        "Angaben zu {reference} erfasst: der Vorgang kann jetzt entschieden werden",
        "Data of {reference} entered: the case can now be decided",
    ),
    "walkin.title": ("Neuer Vorgang – Vorsprache am Schalter", "New case – walk-in at the counter"),
    "walkin.service": ("&Leistung", "&Service"),
    "walkin.office": ("Bürgerbüro", "Office"),
    "walkin.fee": ("Gebühr: {fee}", "Fee: {fee}"),
    "walkin.create": ("Vorgang &anlegen", "&Create case"),
    "walkin.saving": ("Speichere…", "Saving…"),
    "walkin.date_hint": ("TT.MM.JJJJ", "DD.MM.YYYY"),
    "walkin.create_next": ("Anlegen + &weitere Leistung", "Create + &next service"),
    "walkin.create_next_tip": (
        "Legt den Vorgang an und lässt die Angaben zur Person für die nächste Leistung stehen",
        "Creates the case and keeps the person's details for the next service",
    ),
    "walkin.saved_next": (
        "Vorgang {reference} angelegt. Nächste Leistung für dieselbe Person wählen.",
        "Case {reference} created. Choose the next service for the same person.",
    ),
    "walkin.discard_title": ("Eingaben verwerfen?", "Discard input?"),
    "walkin.discard_question": (
        "Das Formular enthält Eingaben, die noch nicht als Vorgang gespeichert sind. Verwerfen?",
        "The form holds input not yet stored as a case. Discard it?",
    ),
    "walkin.keep": ("&Weiter bearbeiten", "&Keep editing"),
    "walkin.discard": ("&Verwerfen", "&Discard"),
    "walkin.invalid": (
        "Bitte die markierten Felder korrigieren ({count}).",
        "Please correct the marked fields ({count}).",
    ),
    "dialog.cancel": ("Abbrechen", "Cancel"),
    "dialog.close": ("&Schließen", "&Close"),
    "reject.title": ("Antrag ablehnen", "Reject application"),
    "reject.prompt": (
        "Begründung für den Bescheid (wird der antragstellenden Person mitgeteilt):",
        "Reason for the decision (the applicant is told):",
    ),
    "reject.confirm": ("A&blehnen", "Re&ject"),
    "reassign.title": ("Vorgang zuweisen", "Reassign case"),
    "reassign.to": ("&An", "&To"),
    "reassign.reason": ("Anla&ss", "R&eason"),
    "identity.title": ("Identität prüfen – {reference}", "Verify identity – {reference}"),
    "identity.reader_name": ("Lesegerät", "Card reader"),
    "identity.reader_looking": ("Lesegerät wird gesucht…", "Looking for the card reader…"),
    "identity.reader_none": (
        "Kein Lesegerät angeschlossen. Ohne Lesegerät: Sichtprüfung mit Vermerk.",
        "No card reader attached. Without one: visual check with a note.",
    ),
    "identity.reader_service": (
        "Der Kartendienst (PC/SC) läuft nicht; sobald er wieder läuft, geht es hier weiter.",
        "The smart card service (PC/SC) is not running; this continues once it is back.",
    ),
    "identity.reader_empty": (
        "{reader}: keine Karte. Bitte den Ausweis auflegen.",
        "{reader}: no card. Please place the ID card on the reader.",
    ),
    "identity.reader_card": ("{reader}: Karte liegt auf.", "{reader}: card present."),
    "identity.by_card": ("Ausweis am &Lesegerät (CAN)", "ID card on the r&eader (CAN)"),
    "identity.by_sight": (
        "&Sichtprüfung ohne Lesegerät (mit Vermerk)",
        "&Visual check without the reader (with a note)",
    ),
    "identity.can": (
        "&CAN (6 Ziffern vorne auf dem Ausweis)",
        "&CAN (6 digits on the card's front)",
    ),
    "identity.check": ("CAN &prüfen", "Chec&k CAN"),
    "identity.result_name": ("Ergebnis der Prüfung", "Result of the check"),
    "identity.checking": ("Der Chip prüft die CAN…", "The chip is checking the CAN…"),
    "identity.confirmed": (
        "CAN vom Chip bestätigt: {document}. Jetzt Person und Lichtbild mit dem Ausweis "
        "vergleichen, dann erfassen.",
        "CAN confirmed by the chip: {document}. Now compare the person and photo with the "
        "card, then record.",
    ),
    "identity.rejected": (
        "Die CAN passt nicht zu diesem Ausweis.",
        "The CAN does not belong to this card.",
    ),
    "identity.no_card": ("Keine Karte auf dem Lesegerät.", "No card on the reader."),
    "identity.removed": (
        "Die Karte wurde während der Prüfung entfernt. Bitte wieder auflegen und erneut prüfen.",
        "The card was removed during the check. Please place it again and check again.",
    ),
    "identity.mute": (
        "Die Karte antwortet nicht. Bitte neu auflegen und erneut prüfen.",
        "The card does not answer. Please place it again and check again.",
    ),
    "identity.busy": (
        "Ein anderes Programm benutzt die Karte gerade. Bitte erneut versuchen.",
        "Another program is using the card. Please try again.",
    ),
    "identity.unknown": (
        "Diese Karte ist kein Personalausweis, Aufenthaltstitel oder Reisepass mit Chip.",
        "This card is no ID card, residence permit or passport with a chip.",
    ),
    "identity.card_error": (
        "Die Karte ließ sich nicht lesen ({detail}). Bitte erneut versuchen.",
        "The card could not be read ({detail}). Please try again.",
    ),
    "identity.compare": ("Zum Vergleich: Angaben im Antrag", "For comparison: the application"),
    "identity.born": ("Geburtsdatum", "Date of birth"),
    "identity.note_label": (
        "&Vermerk (welches Dokument, warum ohne Lesegerät)",
        "&Note (which document, why without the reader)",
    ),
    "identity.note": ("Vermerk", "Note"),
    "identity.record": ("Prüfung &erfassen", "&Record check"),
    "identity.method_card_can": (
        "Ausweis am Lesegerät, CAN vom Chip bestätigt",
        "ID card on the reader, CAN confirmed by the chip",
    ),
    "identity.method_counter_visual": (
        "Sichtprüfung ohne Lesegerät",
        "Visual check without reader",
    ),
    "identity.method_online_eid": ("Online-Ausweisfunktion (Portal)", "Online eID (portal)"),
    "identity.document_german-eid": (
        "Personalausweis oder Aufenthaltstitel",
        "German ID card or residence permit",
    ),
    "identity.document_passport": ("Reisepass", "Passport"),
    "identity.document_other": ("anderes Dokument", "other document"),
    "payment.title": ("Gebühr erfassen", "Record fee"),
    "payment.kind": ("&Art", "&Kind"),
    "payment.reference": ("&Kassenzeichen / Beleg", "Payment &reference"),
    "bool.true": ("ja", "yes"),
    "bool.false": ("nein", "no"),
    "action.admin": ("Benutzer und Bür&os…", "Users and o&ffices…"),
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
    "action.pull": ("A&brufen", "&Pull"),
    "action.quarantine": ("&Quarantäne…", "&Quarantine…"),
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
    "startup.schema": ("Datenbankschema passt nicht", "Database schema does not match"),
    "startup.login": ("Anmeldung nicht möglich", "Cannot sign in"),
}
