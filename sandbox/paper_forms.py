"""Filled application forms and the mails that carry them, as citizens send them: for the demo's
forms mailbox and the tests."""

from __future__ import annotations

import io
from email.message import EmailMessage

import pypdfium2
from pypdf import PdfReader, PdfWriter

from app.domain.catalogue import Catalogue
from printing.application_forms import render_application_form


def filled_form(catalogue: Catalogue, service_id: str, values: dict[str, str]) -> bytes:
    """The office's blank form for the service, filled in like a PDF reader would."""
    blank = render_application_form(catalogue, catalogue.service(service_id))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_form(
    catalogue: Catalogue, service_id: str, *, dpi: int = 200, upside_down: bool = False
) -> bytes:
    """The printed blank form as an office scanner returns it: one grey picture per page in
    a PDF, no text, no fields (what the citizen wrote on it is in the picture only)."""
    blank = render_application_form(catalogue, catalogue.service(service_id))
    document = pypdfium2.PdfDocument(blank)
    try:
        pictures = [
            page.render(scale=dpi / 72, grayscale=True).to_pil().rotate(180 if upside_down else 0)
            for page in document
        ]
    finally:
        document.close()
    out = io.BytesIO()
    pictures[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pictures[1:])
    return out.getvalue()


def form_mail(
    sender: str, subject: str, files: dict[str, bytes], *, to: str = "antraege@siegen.example"
) -> EmailMessage:
    """A mail with the files attached as PDFs (none: a plain question)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("Guten Tag,\nanbei mein Antrag.\nMit freundlichen Grüßen")
    for name, content in files.items():
        message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    return message


def forwarded(sender: str, original: EmailMessage) -> EmailMessage:
    """`original` forwarded as an attachment (message/rfc822), as a colleague would."""
    message = EmailMessage()
    message["From"], message["To"] = sender, original["To"]
    message["Subject"] = "WG: " + str(original["Subject"])
    message.set_content("Zur Bearbeitung weitergeleitet.")
    message.add_attachment(original)
    return message


PARKING_APPLICATION = {
    "family_name": "Schäfer",
    "given_names": "Jürgen",
    "birth_date": "28.02.1980",
    "kind": "new",
    "street": "Kölner Straße 12",
    "zone": "A",
    "plate": "SI-XY 815",
    "holder": "self",
    "period_months": "12",
}


def demo_mails(catalogue: Catalogue) -> list[EmailMessage]:
    """What a forms mailbox holds on a morning: a filled form, a form missing most fields, a
    scan of the printed form (a case to type from) and a question without any form."""
    citizen = "Jürgen Schäfer <j.schaefer@example.org>"
    good = filled_form(catalogue, "bewohnerparkausweis", PARKING_APPLICATION)
    incomplete = filled_form(catalogue, "meldebescheinigung_einfach", {"family_name": "Yilmaz"})
    return [
        form_mail(citizen, "Antrag Bewohnerparkausweis", {"antrag-parkausweis.pdf": good}),
        form_mail("a.yilmaz@example.org", "Meldebescheinigung", {"antrag.pdf": incomplete}),
        form_mail(
            "m.kaya@example.org",
            "Antrag Meldebescheinigung (eingescannt)",
            {"scan.pdf": scanned_form(catalogue, "meldebescheinigung_einfach")},
        ),
        form_mail("e.becker@example.org", "Frage zu den Öffnungszeiten", {}),
    ]
