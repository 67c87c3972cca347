"""The identity check: the card reader dialog and its states."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
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
    "identity.recognising": ("Die Karte wird erkannt…", "Recognising the card…"),
    "identity.recognised": (
        "{document} erkannt: CAN eingeben und prüfen.",
        "{document} recognised: type the CAN and check it.",
    ),
    "identity.card_moved": (
        "Die Karte wurde während der Prüfung bewegt. Bitte wieder ruhig auflegen: die Prüfung "
        "geht mit derselben CAN weiter.",
        "The card moved during the check. Please place it still again: the check continues "
        "with the same CAN.",
    ),
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
}
