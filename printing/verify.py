"""Checking a document a citizen brings back: the printed seal from a scan, photo or PDF, and the
electronic seal of a PDF file. Every check ends in one of three answers, with sentences a clerk
can read out: authentic (unchanged, where the electronic seal covers the file; from paper: the
seal genuine and its facts listed to compare with the page), not authentic (why, and what to
do), or cannot be checked (why, and what to do).

The rules: the authority's seal is only a certificate the trust list names for it; a PDF that is
not a scan is authentic only by its electronic seal, whatever its printed seal says (its text can
be changed and the seal left as it was); a scan, a photo or a hand scanner's bytes are judged by
the printed seal, and the answer says which printed sections the seal cannot vouch for there.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from PIL import Image, UnidentifiedImageError

from app.domain.documents import german_date
from printing import datamatrix, printed_text, rasterize, seal_profile, text_layer, vds
from printing.pades import PdfVerdict, Role, SignatureVerdict, validate_pdf
from printing.seal_keys import verify_raw
from printing.trust_list import TrustList

SCAN_DPI = 200


class Answer(StrEnum):
    AUTHENTIC = "authentic"
    NOT_AUTHENTIC = "not_authentic"
    CANNOT_CHECK = "cannot_check"

    @property
    def exit_code(self) -> int:
        return {"authentic": 0, "not_authentic": 1, "cannot_check": 2}[self.value]

    @property
    def headline(self) -> str:
        return {
            "authentic": "ECHT UND UNVERÄNDERT",
            "not_authentic": "NICHT ECHT",
            "cannot_check": "NICHT PRÜFBAR",
        }[self.value]


# the printed seal proves the facts it holds, not the page around it: from paper, a scan or
# a photo "authentic" means the seal is the city's and its facts are to be compared
PAPER_HEADLINE = "SIEGEL ECHT – ANGABEN MIT DEM PAPIER VERGLEICHEN"
# ... and where the page's printed text (read by OCR) says otherwise than the seal
TEXT_DIFFERS_HEADLINE = "SIEGEL ECHT, ABER DER TEXT WEICHT AB"
NEXT_STEP = {
    Answer.NOT_AUTHENTIC: (
        "Was tun: das Dokument nicht als Original annehmen; beim ausstellenden Bürgerbüro "
        "mit Nummer und Aktenzeichen nachfragen."
    ),
    Answer.CANNOT_CHECK: (
        "Was tun: das 2D-Siegel schärfer oder größer scannen bzw. fotografieren, die "
        "PDF-Datei selbst prüfen oder beim ausstellenden Bürgerbüro nachfragen."
    ),
}


@dataclass(frozen=True, slots=True)
class Report:
    """One answer for a person, and what to say. `paper_only`: judged by the printed seal
    alone, so its facts are genuine but the page was not compared with them."""

    answer: Answer
    text: str
    paper_only: bool = False
    differing: tuple[str, ...] = ()  # sealed facts the page prints otherwise (OCR)

    @property
    def headline(self) -> str:
        if self.differing:
            return f"{TEXT_DIFFERS_HEADLINE}: {', '.join(self.differing)}"
        if self.answer is Answer.AUTHENTIC and self.paper_only:
            return PAPER_HEADLINE
        return self.answer.headline

    @property
    def authentic(self) -> bool | None:
        if self.answer is Answer.CANNOT_CHECK:
            return None
        return self.answer is Answer.AUTHENTIC

    def full_text(self) -> str:
        step = NEXT_STEP.get(self.answer)
        return f"{self.headline}: {self.text}" + (f"\n{step}" if step else "")


# --- the printed seal ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SealCheck:
    answer: Answer
    message: str
    reading: seal_profile.SealReading | None = None

    @property
    def ok(self) -> bool:
        return self.answer is Answer.AUTHENTIC


def _check_symbol(seal: vds.VisibleDigitalSeal, trust: TrustList) -> SealCheck | None:
    """Why this one symbol is not the city's (None when its signature holds)."""
    header = seal.header
    signer = trust.signer(header.signer_id, header.certificate_reference)
    if signer is None:
        return SealCheck(
            Answer.NOT_AUTHENTIC,
            f"unbekannter Aussteller {header.signer_id}/{header.certificate_reference}: "
            "nicht in der Vertrauensliste",
        )
    if not issued_by_city(signer.certificate, trust):
        return SealCheck(
            Answer.NOT_AUTHENTIC, "das Zertifikat des Ausstellers stammt nicht von der Stadt"
        )
    if not signer.sealed_within(header.signature_date):
        return SealCheck(
            Answer.NOT_AUTHENTIC,
            f"gesiegelt am {german_date(header.signature_date)}: außerhalb des Zeitraums "
            f"{german_date(signer.first_day)}–{german_date(signer.last_day)}, für den die "
            "Vertrauensliste das Siegelzertifikat nennt",
        )
    if not verify_raw(signer.certificate, seal.signed_bytes, seal.signature):
        return SealCheck(
            Answer.NOT_AUTHENTIC, "Signatur falsch: Inhalt des 2D-Siegels verändert oder gefälscht"
        )
    return None


def check_seals(found: list[bytes], trust: TrustList) -> SealCheck:
    """The printed seal of one document from the symbols read off it (duplicates, e.g. one per
    page, are fine; a two-part seal needs both parts)."""
    if not found:
        return SealCheck(
            Answer.CANNOT_CHECK, "kein 2D-Siegel gefunden (Bild schärfer oder größer aufnehmen?)"
        )
    symbols: list[vds.VisibleDigitalSeal] = []
    try:
        for data in dict.fromkeys(found):
            symbols.extend(vds.split(data))
    except vds.VdsError as error:
        return SealCheck(Answer.CANNOT_CHECK, f"kein lesbares 2D-Siegel: {error}")
    for symbol in symbols:
        refused = _check_symbol(symbol, trust)
        if refused is not None:
            return refused
    try:
        parts = {(part.number, part.part): part for part in map(seal_profile.part_of, symbols)}
        documents: dict[str, list[seal_profile.SealPart]] = defaultdict(list)
        for part in parts.values():
            documents[part.number].append(part)
        if len(documents) > 1:
            return SealCheck(
                Answer.NOT_AUTHENTIC,
                "2D-Siegel verschiedener Dokumente auf einem Dokument: "
                + ", ".join(sorted(documents)),
            )
        (document_parts,) = documents.values()
        first = min(document_parts, key=lambda p: p.part)
        if len(document_parts) < first.parts:
            missing = sorted(set(range(1, first.parts + 1)) - {p.part for p in document_parts})
            return SealCheck(
                Answer.CANNOT_CHECK,
                f"Teil {', '.join(map(str, missing))} von {first.parts} des 2D-Siegels nicht "
                "gefunden: alle Siegel-Symbole des Dokuments scannen",
            )
        reading = seal_profile.read(document_parts)
    except vds.VdsError as error:
        return SealCheck(Answer.CANNOT_CHECK, f"2D-Siegel echt, Inhalt unlesbar: {error}")
    return SealCheck(Answer.AUTHENTIC, describe(reading), reading)


def check_seal(data: bytes, trust: TrustList) -> SealCheck:
    return check_seals([data], trust)


def describe(reading: seal_profile.SealReading) -> str:
    lines = [
        f"{reading.title} Nr. {reading.number}, ausgestellt am {german_date(reading.issued_on)} "
        f"für {reading.given_names} {reading.family_name} "
        f"(geb. {german_date(reading.birth_date)}), Aktenzeichen {reading.case_reference}.",
        "Das Siegel bestätigt diese Angaben (bitte mit dem Papier vergleichen):",
        *(f"  {label}: {value}" for label, value in reading.facts),
    ]
    return "\n".join(lines)


def _scan_limits(reading: seal_profile.SealReading) -> str:
    sections = ", ".join(f"»{section}«" for section in reading.covered_by_digest_only)
    if not sections:
        return ""
    return (
        f"\nNicht geprüft: {sections} steht im Siegel nur als Prüfwert; an Papier, Scan oder "
        "Foto lässt sich dieser Abschnitt nicht prüfen (die PDF-Datei prüfen oder beim "
        "Bürgerbüro nachfragen)."
    )


def issued_by_city(certificate: x509.Certificate, trust: TrustList) -> bool:
    for root in trust.roots:
        if root == certificate:
            return True
        try:
            certificate.verify_directly_issued_by(root)
        except (ValueError, TypeError, Exception):
            continue
        return True
    return False


# --- finding printed seals ----------------------------------------------------------------


def seals_in_image(image: Image.Image) -> list[bytes]:
    """The seal's symbols on the picture. Searching for a symbol that is not there takes the
    reader's whole timeout, so the second is looked for only when the first names one."""
    first = datamatrix.read(image, max_count=1)
    if not first or _whole(first):
        return first
    return datamatrix.read(image, max_count=seal_profile.MAX_SYMBOLS)


def seals_in_pdf(pdf: bytes, *, dpi: int = SCAN_DPI) -> list[bytes]:
    """Render each page as a scanner would and read the printed seal off it; a page that shows
    a whole seal is enough."""
    found: list[bytes] = []
    for image in rasterize.pages(pdf, dpi=dpi, grayscale=True):
        on_page = seals_in_image(image)
        found.extend(on_page)
        if on_page and _whole(on_page):
            break
    return found


def _whole(found: list[bytes]) -> bool:
    """Whether the symbols found make a whole seal (all its parts), or say nothing more."""
    try:
        symbols = [s for data in found for s in vds.split(data)]
        parts = [seal_profile.part_of(s) for s in symbols]
    except vds.VdsError:
        return True  # nothing more to learn from more pages
    return bool(parts) and len({p.part for p in parts}) >= parts[0].parts


def _image(content: bytes, name: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValueError(f"{name}: weder Bild noch PDF") from error
    return image


def seals_in_file(path: Path) -> list[bytes]:
    content = path.read_bytes()
    if content.startswith(b"%PDF"):
        return seals_in_pdf(content)
    return seals_in_image(_image(content, path.name))


# --- the electronic seal ------------------------------------------------------------------


def check_pdf(pdf: bytes, trust: TrustList) -> PdfVerdict:
    return validate_pdf(pdf, trust)


def _when(signature: SignatureVerdict) -> str:
    return signature.signed_at.strftime("%d.%m.%Y %H:%M UTC") if signature.signed_at else "-"


def describe_signatures(verdict: PdfVerdict) -> str:
    lines: list[str] = []
    for signature in verdict.signatures:
        kind = {
            Role.SEAL: "Dienstsiegel",
            Role.TIMESTAMP: "Zeitstempel (nachgetragen, das Siegel entstand ohne)",
        }.get(signature.role, "Unterschrift (persönliches Zertifikat, kein Dienstsiegel)")
        state = signature.failure() or "gültig, seitdem unverändert"
        stamp = ", mit Zeitstempel" if signature.timestamped else ""
        lines.append(f"  {kind}: {signature.signer}, {_when(signature)}{stamp}: {state}")
    return "\n".join(lines)


def _long_term(verdict: PdfVerdict) -> str:
    return (
        " (mit eingebetteten Prüfdaten: Kette und Sperrstatus, PAdES B-LT)"
        if verdict.long_term
        else ""
    )


def report_electronic(pdf: bytes, trust: TrustList) -> Report:
    """The PDF's electronic seal alone (`buergerbuero verify`)."""
    if not pdf.startswith(b"%PDF"):
        return Report(Answer.CANNOT_CHECK, "keine PDF-Datei")
    verdict = check_pdf(pdf, trust)
    if verdict.unreadable:
        return Report(Answer.CANNOT_CHECK, verdict.problem)
    signatures = describe_signatures(verdict)
    if verdict.ok:
        return Report(
            Answer.AUTHENTIC,
            f"elektronisches Siegel der Stadt gültig{_long_term(verdict)}\n{signatures}",
        )
    return Report(Answer.NOT_AUTHENTIC, f"{verdict.reason()}\n{signatures}".rstrip())


# --- whole answers -------------------------------------------------------------------------


def report_seals(found: list[bytes], trust: TrustList) -> Report:
    """Symbols read off paper (a scan, a photo, a hand scanner)."""
    return report_seals_checked(check_seals(found, trust), from_scan=True)


def report_hex(text: str, trust: TrustList) -> Report:
    try:
        seal = bytes.fromhex("".join(text.split()))
    except ValueError:
        return Report(
            Answer.CANNOT_CHECK, "keine Hex-Zeichen: bitte die Ausgabe des Lesegeräts einfügen"
        )
    return report_seals([seal], trust)


def _disagreements(reading: seal_profile.SealReading, layer: text_layer.TextLayer) -> list[str]:
    """Printed facts the pages do not show as the seal says them."""
    differing = [label for label, value in reading.facts if not layer.shows(label, value)]
    if reading.grounds_digest is not None:
        grounds = layer.grounds()
        if grounds is None or seal_profile.grounds_digest(grounds) != reading.grounds_digest:
            differing.append(seal_profile.GROUNDS)
    return differing


def report_pdf(pdf: bytes, trust: TrustList) -> Report:
    electronic = check_pdf(pdf, trust)
    if electronic.unreadable:
        return Report(Answer.CANNOT_CHECK, electronic.problem)
    try:
        layer = text_layer.read(pdf)
        printed = check_seals(seals_in_pdf(pdf), trust)
    except (text_layer.UnreadablePdf, rasterize.PdfError) as error:
        return Report(Answer.CANNOT_CHECK, f"PDF-Datei beschädigt oder unvollständig ({error})")
    if layer.scan and not electronic.signatures:
        pages = list(rasterize.pages(pdf, dpi=printed_text.TEXT_DPI, grayscale=True))
        report = report_seals_checked(printed, from_scan=True, pages=pages)
        return replace(report, text=f"{report.text}\n(PDF-Scan: geprüft wurde das 2D-Siegel)")
    signatures = describe_signatures(electronic)
    if not electronic.ok:
        text = f"elektronisches Siegel: {electronic.reason()}"
        if not electronic.signatures:
            text += (
                "\nEine PDF-Datei der Stadt trägt immer ihr elektronisches Siegel; ohne es kann "
                "ihr Text verändert sein, auch wenn das 2D-Siegel echt ist."
            )
        if printed.reading is not None:
            differing = _disagreements(printed.reading, layer)
            if differing:
                text += "\nAbweichend vom 2D-Siegel: " + ", ".join(differing)
        return Report(Answer.NOT_AUTHENTIC, f"{text}\n{signatures}".rstrip())
    if printed.answer is Answer.NOT_AUTHENTIC:
        return Report(Answer.NOT_AUTHENTIC, f"2D-Siegel: {printed.message}\n{signatures}")
    text = f"elektronisches Siegel der Stadt gültig{_long_term(electronic)}\n{signatures}"
    if printed.reading is not None:
        differing = _disagreements(printed.reading, layer)
        if differing:
            return Report(
                Answer.NOT_AUTHENTIC,
                f"Text und 2D-Siegel stimmen nicht überein: {', '.join(differing)}\n{signatures}",
            )
        text += f"\n{printed.message}"
    else:
        text += f"\n2D-Siegel: {printed.message}"
    return Report(Answer.AUTHENTIC, text)


def report_seals_checked(
    checked: SealCheck, *, from_scan: bool, pages: Sequence[Image.Image] = ()
) -> Report:
    """`pages`: the pictures the seal was read off, whose printed text is compared with it."""
    if checked.reading is None:
        return Report(checked.answer, f"2D-Siegel: {checked.message}")
    note = _scan_limits(checked.reading) if from_scan else ""
    report = Report(
        checked.answer, f"2D-Siegel gültig. {checked.message}{note}", paper_only=from_scan
    )
    return _compared_with_print(report, checked.reading, pages) if pages else report


def _compared_with_print(
    report: Report, reading: seal_profile.SealReading, pages: Sequence[Image.Image]
) -> Report:
    try:
        text = "\n".join(printed_text.page_text(page) for page in pages)
    except printed_text.TextUnreadable as error:
        return replace(report, text=f"{report.text}\nText nicht automatisch verglichen: {error}.")
    comparison = printed_text.compare(reading, text)
    if not comparison.enough:
        return replace(
            report,
            text=f"{report.text}\nText nicht automatisch verglichen: zu wenig lesbar "
            "(bitte selbst vergleichen).",
        )
    if comparison.differing:
        return Report(
            Answer.NOT_AUTHENTIC,
            f"{report.text}\nGedruckt steht anders als im Siegel: "
            f"{', '.join(comparison.differing)}. Es gelten die Angaben des Siegels (oben).",
            paper_only=True,
            differing=comparison.differing,
        )
    return replace(
        report,
        text=f"{report.text}\nGedruckter Text per Texterkennung verglichen: "
        f"{len(comparison.compared)} von {comparison.facts} Angaben gefunden, keine weicht ab.",
    )


def report_file(path: Path, trust: TrustList) -> Report:
    """A PDF is judged by its electronic seal unless it is a scan; a picture by its printed
    seal. Nothing a file holds ends in anything but one of the three answers."""
    try:
        content = path.read_bytes()
    except OSError as error:
        return Report(Answer.CANNOT_CHECK, f"{path.name}: nicht lesbar ({error.strerror})")
    if content.startswith(b"%PDF"):
        return report_pdf(content, trust)
    try:
        image = _image(content, path.name)
        checked = check_seals(seals_in_image(image), trust)
        return report_seals_checked(checked, from_scan=True, pages=[image])
    except ValueError as error:
        return Report(Answer.CANNOT_CHECK, str(error))
