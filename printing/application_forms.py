"""Fillable PDF application forms (AcroForm) per service, for citizens without a portal account.

Each input is a form field named after the catalogue field, so a filled form can be read back
without guessing; two read-only fields carry the service and the catalogue version."""

from __future__ import annotations

import io

from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from app.domain.catalogue import Catalogue, FieldType, Service, format_fee_rule
from printing.layout import draw_seal

SERVICE_FIELD = "bb_service"
VERSION_FIELD = "bb_catalogue_version"
FIELD_HEIGHT = 7 * mm
MARKER_SIZE = 14 * mm  # the form's DataMatrix: 0.8 mm modules, read from a 150 dpi scan
UNCHOSEN, UNCHOSEN_LABEL = "-", "- bitte wählen -"  # a combo box needs a value; this one is none


def _field_text(text: str) -> str:
    """Form field appearances use Latin-1 in reportlab's standard fonts: map what falls outside."""
    for wide, narrow in (("–", "-"), ("—", "-"), ("„", '"'), ("“", '"'), ("’", "'")):
        text = text.replace(wide, narrow)
    return text.encode("latin-1", "replace").decode("latin-1")


def form_marker(service: Service, catalogue: Catalogue) -> str:
    """`BB-FORM/<service>/<catalogue version>` (app.integrations.pdf_forms.MARKER reads it)."""
    return f"BB-FORM/{service.id}/{catalogue.version}"


def render_application_form(catalogue: Catalogue, service: Service) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"Antrag: {service.name_de}")
    width, height = A4
    left, y = 20 * mm, height - 25 * mm
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(left, y, f"Antrag: {service.name_de}")
    y -= 7 * mm
    canvas.setFont("Helvetica", 9)
    canvas.drawString(
        left,
        y,
        f"Stadt Siegen – Bürgerbüro · {service.legal_basis} · "
        f"Gebühr: {format_fee_rule(service.fee)}",
    )
    y -= 5 * mm
    canvas.drawString(
        left, y, "Bitte am Bildschirm ausfüllen und per E-Mail senden oder ausdrucken und abgeben."
    )
    form = canvas.acroForm
    for name, value in ((SERVICE_FIELD, service.id), (VERSION_FIELD, catalogue.version)):
        form.textfield(
            name=name,
            value=value,
            x=width - 60 * mm,
            y=height - 14 * mm,
            width=1,
            height=1,
            borderWidth=0,
            fillColor=white,
            textColor=white,
            fieldFlags="readOnly",
        )
    y -= 10 * mm

    def marker() -> None:
        """Which form this page belongs to, readable off the page when its fields are gone: as
        text (a PDF printed or flattened) and as a DataMatrix symbol (a scan of the paper)."""
        code = form_marker(service, catalogue)
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(black)
        canvas.drawRightString(width - 20 * mm, 8 * mm, f"Formularkennung: {code}")
        draw_seal(canvas, code.encode("ascii"), width - 20 * mm - MARKER_SIZE, 12 * mm, MARKER_SIZE)

    marker()
    for spec in catalogue.form_fields(service.id):
        if y < 30 * mm:
            canvas.showPage()
            marker()
            y = height - 25 * mm
            form = canvas.acroForm
        canvas.setFont("Helvetica", 10)
        canvas.setFillColor(black)
        canvas.drawString(left, y + 2 * mm, spec.label_de + (" *" if spec.required else ""))
        x, field_width = left + 75 * mm, 95 * mm
        tooltip = _field_text(spec.label_de)
        if spec.type is FieldType.CHOICE:
            options = [(UNCHOSEN_LABEL, UNCHOSEN)] + [
                (_field_text(c.label_de), c.value) for c in spec.choices
            ]
            form.choice(
                name=spec.name,
                tooltip=tooltip,
                value=UNCHOSEN,
                options=options,
                fieldFlags="combo",
                x=x,
                y=y,
                width=field_width,
                height=FIELD_HEIGHT,
                borderWidth=1,
                fontSize=9,
            )
        elif spec.type is FieldType.BOOLEAN:
            form.checkbox(
                name=spec.name, tooltip=tooltip, x=x, y=y, size=FIELD_HEIGHT, buttonStyle="check"
            )
        else:
            hint = {FieldType.DATE: "TT.MM.JJJJ", FieldType.PAST_DATE: "TT.MM.JJJJ"}.get(
                spec.type, ""
            )
            form.textfield(
                name=spec.name,
                tooltip=f"{tooltip} {hint}".strip(),
                value="",
                x=x,
                y=y,
                width=field_width,
                height=FIELD_HEIGHT,
                borderWidth=1,
                fontSize=10,
                maxlen=spec.max_length or 200,
            )
        y -= 11 * mm
    canvas.setFont("Helvetica", 8)
    note = "* Pflichtfeld. Nachweise: " + "; ".join(service.proofs)
    # wrapped short of the marker symbol in the corner
    lines = simpleSplit(note, "Helvetica", 8, width - left - 20 * mm - MARKER_SIZE - 6 * mm)
    for number, line in enumerate(lines):
        canvas.drawString(left, (15 + 3.5 * (len(lines) - 1 - number)) * mm, line)
    canvas.save()
    return buffer.getvalue()
