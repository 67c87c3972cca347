"""Reading filled PDF application forms (AcroForm) with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.domain.intake import UnreadableForm

SERVICE_FIELD = "bb_service"  # written by printing.application_forms
UNCHOSEN = "-"


def read_form(content: bytes) -> tuple[str, dict[str, str]]:
    """(service id, field values as typed); empty and unchosen fields are left out."""
    try:
        fields = PdfReader(io.BytesIO(content)).get_fields() or {}
    except (PdfReadError, ValueError, OSError) as error:
        raise UnreadableForm(f"not a readable PDF: {type(error).__name__}") from error
    values: dict[str, str] = {}
    for name, field in fields.items():
        value = field.get("/V")
        if value is None:
            continue
        text = str(value).strip()
        if text in ("/Off", "Off"):
            continue
        if text in ("/Yes", "/On", "Yes", "On"):
            text = "true"
        if text and text != UNCHOSEN:
            values[name] = text
    service_id = values.pop(SERVICE_FIELD, "")
    values.pop("bb_catalogue_version", None)
    if not service_id:
        raise UnreadableForm("no application form of this office (service field missing)")
    return service_id, values
