"""Reading filled PDF application forms (AcroForm) with pypdf, as citizens' tools fill them.

PDF software differs in what it writes: a choice field's value may be a string, an array of
strings (ISO 32000 12.7.4.4 allows it for every choice field) or, from some tools, the option's
display text instead of its export value; text comes in PDFDocEncoding or UTF-16BE with a BOM
(pypdf decodes both). All of it reads as the same form."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.domain.intake import UnreadableForm

SERVICE_FIELD = "bb_service"  # written by printing.application_forms
VERSION_FIELD = "bb_catalogue_version"
UNCHOSEN = "-"
CHECKED = ("/Yes", "/On", "Yes", "On", "/1", "1", "true")
UNCHECKED = ("/Off", "Off", "")


def _options(field: Any) -> dict[str, str]:
    """A choice field's options, display text and export value both mapped to the export."""
    mapping: dict[str, str] = {}
    for option in field.get("/Opt") or []:
        if isinstance(option, (list, tuple)) and option:
            export = str(option[0])
            mapping[export] = export
            if len(option) > 1:
                mapping.setdefault(str(option[1]).strip(), export)
        else:
            mapping[str(option)] = str(option)
    return mapping


def _value(field: Any) -> str:
    value = field.get("/V")
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):  # a choice field's selection as an array
        value = value[0] if value else ""
    text = str(value).strip()
    if field.get("/FT") == "/Ch":
        options = _options(field)
        return options.get(text, text)
    if field.get("/FT") == "/Btn":
        if text in UNCHECKED:
            return ""
        return "true" if text in CHECKED or text.startswith("/") else text
    return text


def read_form(content: bytes) -> tuple[str, dict[str, str]]:
    """(service id, field values as typed); empty and unchosen fields are left out."""
    try:
        fields = PdfReader(io.BytesIO(content)).get_fields() or {}
    except (PdfReadError, ValueError, OSError) as error:
        raise UnreadableForm(f"not a readable PDF: {type(error).__name__}") from error
    values: dict[str, str] = {}
    for name, field in fields.items():
        text = _value(field)
        if text in ("/Off", "Off"):
            continue
        if text in ("/Yes", "/On", "Yes", "On"):
            text = "true"
        if text and text != UNCHOSEN:
            values[name] = text
    service_id = values.pop(SERVICE_FIELD, "")
    values.pop(VERSION_FIELD, None)
    if not service_id:
        raise UnreadableForm("no application form of this office (service field missing)")
    return service_id, values
