"""Reading filled PDF application forms (AcroForm) with pypdf, as citizens' tools fill them.

PDF software differs in what it writes: a choice field's value may be a string, an array of
strings (ISO 32000 12.7.4.4 allows it for every choice field) or, from some tools, the option's
display text instead of its export value; text comes in PDFDocEncoding or UTF-16BE with a BOM
(pypdf decodes both). All of it reads as the same form."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.domain.catalogue import Catalogue, FieldType
from app.domain.intake import FilledForm, ScannedForm, UnreadableForm
from app.ports import FormReader

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


def read_form(content: bytes) -> FilledForm:
    """The service and the field values as typed; empty and unchosen fields are left out."""
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
    return FilledForm(service_id, values)


# the marker printed on every page of our forms (printing.application_forms): the service and
# the catalogue version, readable from the page itself when the form fields are gone
MARKER = re.compile(r"BB-FORM/([a-z0-9_]+)/([0-9A-Za-z.\-]+)")
LABEL_LEFT_MM, FIELD_LEFT_MM, FIELD_RIGHT_MM = 20, 95, 190
POINTS_PER_MM = 72 / 25.4


def form_reader(catalogue: Catalogue) -> FormReader:
    """Reads a filled form from its fields; a form whose fields are gone (printed to PDF by the
    citizen, flattened by a tool) from its page: the marker names the service, and each
    field's value is the text right of its label, where the form drew the field."""

    def read(content: bytes) -> FilledForm:  # the port's parameter name: `content`
        try:
            return read_form(content)
        except UnreadableForm as fields_missing:
            flattened = read_flattened(content, catalogue)
            if flattened is not None:
                return flattened
            scanned = marker_on_scan(content)
            if scanned is not None:
                raise ScannedForm(scanned) from None
            raise fields_missing from None

    return read


def read_flattened(content: bytes, catalogue: Catalogue) -> FilledForm | None:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        return None
    try:
        pages = [document[index] for index in range(len(document))]  # kept open for the texts
        texts = [page.get_textpage() for page in pages]
        marker = next(
            (found for text in texts if (found := MARKER.search(text.get_text_range()))), None
        )
        if marker is None:
            return None
        service_id = marker.group(1)
        try:
            specs = catalogue.form_fields(service_id)
        except (KeyError, ValueError):
            return None
        values: dict[str, str] = {}
        for spec in specs:
            value = _value_right_of(texts, spec.label_de)
            if not value:
                continue
            if spec.type is FieldType.CHOICE:
                by_label = {c.label_de: c.value for c in spec.choices}
                value = by_label.get(value, value)
                if value == UNCHOSEN or value.startswith("- bitte"):
                    continue
            elif spec.type is FieldType.BOOLEAN:
                value = "true"
            values[spec.name] = value
        return FilledForm(service_id, values, flattened=True)
    finally:
        document.close()


SCAN_DPI = 150


def marker_on_scan(content: bytes, *, timeout_ms: int = 1000) -> str | None:
    """The service named by the form's DataMatrix marker on a scanned page, if any. Only the
    corner where the form prints it is searched (and the opposite one, for a page scanned
    upside down): libdmtx searches a whole page for a symbol that is not there until its
    timeout, and most PDFs that reach here are proofs, not forms."""
    import pypdfium2

    from app.integrations.datamatrix import read

    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        return None
    try:
        if not len(document):
            return None
        page = document[0]  # the form's marker is on its every page
        try:
            image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
        finally:
            page.close()
        width, height = image.size
        corners = (
            image.crop((int(width * 0.7), int(height * 0.8), width, height)),
            image.crop((0, 0, int(width * 0.3), int(height * 0.2))),
        )
        for corner in corners:
            for symbol in read(corner, timeout_ms=timeout_ms, max_count=1):
                found = MARKER.search(symbol.decode("ascii", "replace"))
                if found:
                    return found.group(1)
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()
    return None


def _value_right_of(texts: list[Any], label: str) -> str:
    """The text in the field box right of the label's line (the form's layout: label at 20 mm,
    field from 95 mm, its box from 2 mm below the label's baseline to 5 mm above)."""
    for text in texts:
        searcher = text.search(label, match_case=True, match_whole_word=True)
        try:
            while (hit := searcher.get_next()) is not None:
                index, _count = hit
                left, bottom, _right, top = text.get_charbox(index)
                if abs(left - LABEL_LEFT_MM * POINTS_PER_MM) > 3:
                    continue  # the label words inside other text (the heading, a hint)
                found = text.get_text_bounded(
                    left=FIELD_LEFT_MM * POINTS_PER_MM,
                    bottom=bottom - 2.5 * POINTS_PER_MM,
                    right=FIELD_RIGHT_MM * POINTS_PER_MM,
                    top=top + 3 * POINTS_PER_MM,
                )
                return " ".join(found.split())
        finally:
            searcher.close()
    return ""
