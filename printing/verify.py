"""Checking a document a citizen brings back: the printed seal from a scan, photo or PDF, and the
electronic seal of a PDF file. Results are sentences a clerk can read out."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from PIL import Image, UnidentifiedImageError

from app.domain.documents import german_date
from printing import datamatrix, rasterize, seal_profile, vds
from printing.pades import PdfVerdict, validate_pdf
from printing.seal_keys import verify_raw
from printing.trust_list import TrustList

SCAN_DPI = 200


@dataclass(frozen=True, slots=True)
class SealVerdict:
    ok: bool
    message: str
    reading: seal_profile.SealReading | None = None


def check_seal(data: bytes, trust: TrustList, *, today: dt.date | None = None) -> SealVerdict:
    try:
        seal = vds.VisibleDigitalSeal.decode(data)
    except vds.VdsError as error:
        return SealVerdict(False, f"Kein gültiges 2D-Siegel: {error}")
    header = seal.header
    signer = trust.signer(header.signer_id, header.certificate_reference)
    if signer is None:
        return SealVerdict(
            False,
            f"Unbekannter Aussteller {header.signer_id}/{header.certificate_reference}: "
            "nicht in der Vertrauensliste",
        )
    if not _issued_by_root(signer.certificate, trust):
        return SealVerdict(False, "Das Zertifikat des Ausstellers stammt nicht von der Stadt")
    certificate = signer.certificate
    signed = header.signature_date
    if not (
        certificate.not_valid_before_utc.date() <= signed <= certificate.not_valid_after_utc.date()
    ):
        return SealVerdict(False, "Gesiegelt außerhalb der Gültigkeit des Zertifikats")
    if not verify_raw(certificate, seal.signed_bytes, seal.signature):
        return SealVerdict(False, "Signatur falsch: Inhalt verändert oder gefälscht")
    try:
        reading = seal_profile.read(seal)
    except vds.VdsError as error:
        return SealVerdict(False, f"Siegel echt, Inhalt unlesbar: {error}")
    return SealVerdict(True, describe(reading), reading)


def describe(reading: seal_profile.SealReading) -> str:
    lines = [
        f"Echt und unverändert: {reading.title} Nr. {reading.number}, ausgestellt am "
        f"{german_date(reading.issued_on)} für {reading.given_names} {reading.family_name} "
        f"(geb. {german_date(reading.birth_date)}), Aktenzeichen {reading.case_reference}.",
        *(f"  {label}: {value}" for label, value in reading.facts),
    ]
    return "\n".join(lines)


def _issued_by_root(certificate: x509.Certificate, trust: TrustList) -> bool:
    for root in trust.roots:
        if root == certificate:
            return True
        try:
            certificate.verify_directly_issued_by(root)
        except (ValueError, TypeError, Exception):
            continue
        return True
    return False


def seals_in_image(image: Image.Image) -> list[bytes]:
    """The first seal found: every seal on a document is the same one."""
    return datamatrix.read(image, max_count=1)


def seals_in_pdf(pdf: bytes, *, dpi: int = SCAN_DPI) -> list[bytes]:
    """Render each page as a scanner would and read the printed seal off it (every page
    carries the document's seal; the first found per page is enough)."""
    found: list[bytes] = []
    for image in rasterize.pages(pdf, dpi=dpi, grayscale=True):
        found.extend(seals_in_image(image))
    return found


def seals_in_file(path: Path) -> list[bytes]:
    content = path.read_bytes()
    if content.startswith(b"%PDF"):
        return seals_in_pdf(content)
    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"{path.name}: weder Bild noch PDF") from error
    return seals_in_image(image)


def check_pdf(pdf: bytes, trust: TrustList) -> PdfVerdict:
    return validate_pdf(pdf, trust.roots)


def describe_pdf(verdict: PdfVerdict) -> str:
    if verdict.problem:
        return f"NICHT GÜLTIG: {verdict.problem}"
    lines = ["GÜLTIG" if verdict.ok else "NICHT GÜLTIG"]
    for signature in verdict.signatures:
        when = signature.signed_at.strftime("%d.%m.%Y %H:%M UTC") if signature.signed_at else "-"
        state = []
        state.append(
            "gesiegelte Fassung unverändert" if signature.intact else "gesiegelte Fassung VERÄNDERT"
        )
        state.append("Signatur gültig" if signature.valid else "Signatur UNGÜLTIG")
        state.append("vertrauenswürdig" if signature.trusted else "Aussteller NICHT vertraut")
        if not signature.covers_whole_file:
            state.append("Datei nach dem Siegeln ergänzt")
        if not signature.unmodified_after:
            state.append("aber danach VERÄNDERT (Inhalt nachträglich ergänzt)")
        if signature.timestamped:
            state.append("mit Zeitstempel")
        lines.append(f"  {signature.field}: {signature.signer}, {when}: {', '.join(state)}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Report:
    """One answer for a person: authentic (True), not authentic (False), or cannot check
    (None), and what to say."""

    authentic: bool | None
    text: str


def report_seals(seals: list[bytes], trust: TrustList) -> Report:
    if not seals:
        return Report(None, "Kein 2D-Siegel gefunden (Bild schärfer oder größer aufnehmen?)")
    verdicts = [check_seal(seal, trust) for seal in dict.fromkeys(seals)]
    text = "\n".join(("ECHT: " if v.ok else "NICHT ECHT: ") + v.message for v in verdicts)
    return Report(all(v.ok for v in verdicts), text)


def report_hex(text: str, trust: TrustList) -> Report:
    try:
        seal = bytes.fromhex("".join(text.split()))
    except ValueError:
        return Report(None, "Keine Hex-Zeichen: bitte die Ausgabe des Lesegeräts einfügen")
    return report_seals([seal], trust)


def report_file(path: Path, trust: TrustList) -> Report:
    """A PDF is checked twice (electronic seal and printed seal), a picture once."""
    try:
        content = path.read_bytes()
        seals = seals_in_file(path)
    except (OSError, ValueError) as error:
        return Report(None, f"Prüfung nicht möglich: {error}")
    printed = report_seals(seals, trust)
    if not content.startswith(b"%PDF"):
        return printed
    electronic = check_pdf(content, trust)
    if not electronic.signatures and not electronic.problem.startswith("keine lesbare"):
        # A scan or a printout saved as PDF: only the printed seal can speak for it.
        return Report(
            printed.authentic,
            f"{printed.text}\n(PDF ohne elektronisches Siegel, z. B. ein Scan: geprüft wurde "
            "das aufgedruckte 2D-Siegel)",
        )
    text = f"Elektronisches Siegel: {describe_pdf(electronic)}\n2D-Siegel: {printed.text}"
    authentic = electronic.ok and printed.authentic is not False
    return Report(authentic, text)
