"""The inbox, the case page and its dialogs (walk-in, data entry, questions, payment,
rejection, reassignment), documents, printing and their checks."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
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
    "saved.note": ("Notiz gespeichert", "Note saved"),
    "saved.case": ("Vorgang {reference} angelegt", "Case {reference} created"),
    "saved.transition": ("Vorgang {reference}: {status}", "Case {reference}: {status}"),
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
    "reject.title": ("Antrag ablehnen", "Reject application"),
    "reject.prompt": (
        "Begründung für den Bescheid (wird der antragstellenden Person mitgeteilt):",
        "Reason for the decision (the applicant is told):",
    ),
    "reject.confirm": ("A&blehnen", "Re&ject"),
    "reassign.title": ("Vorgang zuweisen", "Reassign case"),
    "reassign.to": ("&An", "&To"),
    "reassign.reason": ("Anla&ss", "R&eason"),
    "payment.title": ("Gebühr erfassen", "Record fee"),
    "payment.kind": ("&Art", "&Kind"),
    "payment.reference": ("&Kassenzeichen / Beleg", "Payment &reference"),
    "bool.true": ("ja", "yes"),
    "bool.false": ("nein", "no"),
}
