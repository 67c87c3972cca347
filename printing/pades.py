"""PAdES seals on PDFs, and their validation, through pyHanko."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

# pyHanko logs every failed check with a traceback naming the signer; the verdict already says
# what failed, and signer names (a clerk's) do not belong in a seat's log.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)

SEAL_FIELD = "Siegel"
CLERK_FIELD = "Unterschrift"
RESERVED, RESERVED_WITH_TIMESTAMP = 8192, 16384


class TimestampUnavailable(RuntimeError):
    """The configured time-stamping service did not answer; nothing was sealed."""


def timestamper_for(url: str | None) -> TimeStamper | None:
    return HTTPTimeStamper(url, timeout=10) if url else None


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    *,
    field_name: str = SEAL_FIELD,
    reason: str,
    location: str,
    timestamper: TimeStamper | None = None,
) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    output = io.BytesIO()
    # A fixed reservation spares pyHanko its size estimate, a whole dummy signature (half the
    # cost of sealing); a certificate chain and a timestamp token fit with room to spare.
    reserved = RESERVED_WITH_TIMESTAMP if timestamper is not None else RESERVED
    try:
        signers.PdfSigner(metadata, signer=signer, timestamper=timestamper).sign_pdf(
            writer, output=output, bytes_reserved=reserved
        )
    except TimestampRequestError as error:
        raise TimestampUnavailable(
            "Zeitstempeldienst nicht erreichbar: das Original wurde nicht erstellt, der Vorgang "
            "bleibt unverändert. Bitte später erneut drucken oder die IT verständigen."
        ) from error
    return output.getvalue()


@dataclass(frozen=True, slots=True)
class SignatureVerdict:
    field: str
    signer: str
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    unmodified_after: bool  # what came after the signature is only more signatures/form data

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and self.covers_whole_file
            and self.unmodified_after
        )


@dataclass(frozen=True, slots=True)
class PdfVerdict:
    signatures: tuple[SignatureVerdict, ...]
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.signatures) and all(s.ok for s in self.signatures)


def validate_pdf(pdf: bytes, roots: tuple[x509.Certificate, ...]) -> PdfVerdict:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        return PdfVerdict((), f"keine lesbare PDF-Datei ({type(error).__name__})")
    if not embedded:
        return PdfVerdict((), "die PDF-Datei trägt kein elektronisches Siegel")
    context = ValidationContext(trust_roots=[_asn1(root) for root in roots], allow_fetching=False)
    verdicts: list[SignatureVerdict] = []
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, context, ts_validation_context=context)
        except Exception as error:
            return PdfVerdict(tuple(verdicts), f"Siegel nicht prüfbar ({type(error).__name__})")
        coverage = status.coverage
        verdicts.append(
            SignatureVerdict(
                field=signature.field_name,
                signer=status.signing_cert.subject.human_friendly,
                signed_at=status.signer_reported_dt,
                timestamped=status.timestamp_validity is not None,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                covers_whole_file=coverage is not None
                and coverage.name in ("ENTIRE_FILE", "ENTIRE_REVISION"),
                unmodified_after=status.docmdp_ok is not False
                and status.modification_level is not None
                and status.modification_level <= ModificationLevel.FORM_FILLING,
            )
        )
    return PdfVerdict(tuple(verdicts))


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
