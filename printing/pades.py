"""PAdES seals on PDFs, and their validation, through pyHanko."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from printing.trust_list import TrustList

# pyHanko logs every failed check with a traceback naming the signer; the verdict already says
# what failed, and signer names (a clerk's) do not belong in a seat's log.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)

SEAL_FIELD = "Siegel"
CLERK_FIELD = "Unterschrift"
RESERVED, RESERVED_WITH_TIMESTAMP = 8192, 16384


class TimestampUnavailable(RuntimeError):
    """The configured time-stamping service did not answer; nothing was sealed."""


class RevocationUnavailable(RuntimeError):
    """The seal certificate's revocation services did not answer (or say it is revoked)."""


def long_term_context(roots: tuple[x509.Certificate, ...]) -> ValidationContext:
    """What a B-LT seal embeds is fetched now: revocation checked hard, over the network."""
    return ValidationContext(
        trust_roots=[_asn1(root) for root in roots],
        allow_fetching=True,
        revocation_mode="require",
    )


def names_revocation_sources(certificate: x509.Certificate) -> bool:
    extensions = certificate.extensions
    for kind in (x509.CRLDistributionPoints, x509.AuthorityInformationAccess):
        try:
            extensions.get_extension_for_class(kind)
            return True
        except x509.ExtensionNotFound:
            continue
    return False


def timestamper_for(url: str | None) -> TimeStamper | None:
    return HTTPTimeStamper(url, timeout=10) if url else None


def add_document_timestamp(pdf: bytes, timestamper: TimeStamper) -> bytes:
    """A document timestamp (PAdES DocTimeStamp) added to a sealed original in a new revision:
    for an original sealed while the TSA did not answer. TimestampUnavailable if it still
    does not."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = io.BytesIO()
    try:
        signers.PdfTimeStamper(timestamper).timestamp_pdf(
            writer, "sha256", output=output, bytes_reserved=RESERVED_WITH_TIMESTAMP
        )
    except TimestampRequestError as error:
        raise TimestampUnavailable("Zeitstempeldienst nicht erreichbar") from error
    return output.getvalue()


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    *,
    field_name: str = SEAL_FIELD,
    reason: str,
    location: str,
    timestamper: TimeStamper | None = None,
    certify: bool = False,
    long_term: ValidationContext | None = None,
) -> bytes:
    """`certify`: the authority's seal is a certification signature (DocMDP) that allows form
    filling and further signatures only, so the clerk may sign after it and nobody may change
    the page content without breaking it. `long_term`: fetch the chain's revocation data (OCSP,
    CRL) now and embed it with the chain in the document security store: PAdES B-LT, checkable
    after the certificate has expired or its services are gone."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        embed_validation_info=long_term is not None,
        validation_context=long_term,
    )
    output = io.BytesIO()
    # A fixed reservation spares pyHanko its size estimate, a whole dummy signature (half the
    # cost of sealing); a certificate chain and a timestamp token fit with room to spare.
    reserved = RESERVED_WITH_TIMESTAMP if timestamper or long_term else RESERVED
    try:
        signers.PdfSigner(metadata, signer=signer, timestamper=timestamper).sign_pdf(
            writer, output=output, bytes_reserved=reserved
        )
    except (ValidationError, PathBuildingError, PathValidationError, SigningError) as error:
        raise RevocationUnavailable(
            "Sperrstatus des Siegelzertifikats nicht abrufbar (OCSP/CRL): das Original wurde "
            f"nicht erstellt, der Vorgang bleibt unverändert ({type(error).__name__})."
        ) from error
    except TimestampRequestError as error:
        raise TimestampUnavailable(
            "Zeitstempeldienst nicht erreichbar: das Original wurde nicht erstellt, der Vorgang "
            "bleibt unverändert. Bitte später erneut drucken oder die IT verständigen."
        ) from error
    return output.getvalue()


class Role(StrEnum):
    SEAL = "seal"  # a seal certificate the trust list names: the authority's seal
    PERSONAL = "personal"  # any other certificate, e.g. a clerk's own under the city's CA
    TIMESTAMP = "timestamp"  # a document timestamp, added after a seal made without one


@dataclass(frozen=True, slots=True)
class SignatureVerdict:
    field: str
    signer: str
    role: Role
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool  # the signed revision's digest still matches: not changed after signing
    valid: bool  # the signature over that digest is mathematically right
    trusted: bool  # the certificate chains to the city's CA
    covers_whole_file: bool
    unmodified_after: bool  # what came after the signature is only more signatures/form data
    within_listed_period: bool = True  # a seal: signed while the trust list names it

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and self.covers_whole_file
            and self.unmodified_after
            and self.within_listed_period
        )

    def failure(self) -> str:
        """What is wrong with this signature, in words ('' when nothing is)."""
        if not self.intact:
            return "die Datei wurde nach dem Siegeln verändert (Prüfsumme stimmt nicht mehr)"
        if not self.valid:
            return "die Signatur ist ungültig"
        if not self.trusted:
            return "das Zertifikat stammt nicht von der Siegel-CA der Stadt"
        if not self.within_listed_period:
            return "gesiegelt außerhalb des Zeitraums, für den die Vertrauensliste es nennt"
        if not self.unmodified_after or not self.covers_whole_file:
            return "nach dem Siegeln wurde Inhalt ergänzt oder geändert"
        return ""


@dataclass(frozen=True, slots=True)
class PdfVerdict:
    """The electronic seal of a PDF: authentic only when its first signature is the authority's
    seal (a certificate the trust list names), intact, and nothing but further valid signatures
    came after it. `unreadable` means the file could not be checked at all."""

    signatures: tuple[SignatureVerdict, ...]
    problem: str = ""
    unreadable: bool = False
    long_term: bool = False  # the file embeds chain and revocation data (a DSS): PAdES B-LT

    @property
    def seal(self) -> SignatureVerdict | None:
        return next((s for s in self.signatures if s.role is Role.SEAL), None)

    @property
    def personal(self) -> tuple[SignatureVerdict, ...]:
        return tuple(s for s in self.signatures if s.role is Role.PERSONAL)

    @property
    def ok(self) -> bool:
        return not self.problem and not self.unreadable and not self.reason()

    def reason(self) -> str:
        """Why the PDF is not authentic ('' when it is)."""
        if self.problem:
            return self.problem
        if not self.signatures:
            return "die PDF-Datei trägt kein elektronisches Siegel"
        seal = self.seal
        if seal is None:
            names = ", ".join(s.signer for s in self.signatures)
            return (
                f"kein Dienstsiegel der Stadt: nur signiert von {names} (kein Siegelzertifikat "
                "der Vertrauensliste)"
            )
        if self.signatures[0] is not seal:
            return "das Dienstsiegel ist nicht die erste Signatur: die Datei wurde umgebaut"
        if seal.failure():
            return seal.failure()
        for other in self.signatures[1:]:
            if other.failure():
                return f"Signatur von {other.signer}: {other.failure()}"
        return ""


def validate_pdf(pdf: bytes, trust: TrustList) -> PdfVerdict:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception as error:  # pyHanko's reader raises many kinds on a broken file
        return PdfVerdict((), _unreadable(error), unreadable=True)
    if not embedded:
        return PdfVerdict(())
    context = ValidationContext(
        trust_roots=[_asn1(root) for root in trust.roots], allow_fetching=False
    )
    verdicts: list[SignatureVerdict] = []
    for signature in embedded:
        if signature.sig_object_type == "/DocTimeStamp":
            verdicts.append(_timestamp_verdict(signature, context))
            continue
        try:
            status = validate_pdf_signature(signature, context, ts_validation_context=context)
        except Exception as error:
            return PdfVerdict(
                tuple(verdicts), f"Siegel nicht prüfbar ({type(error).__name__})", unreadable=True
            )
        verdicts.append(_verdict(signature.field_name, status, trust))
    return PdfVerdict(tuple(verdicts), long_term="/DSS" in reader.root)


def _timestamp_verdict(signature: Any, context: ValidationContext) -> SignatureVerdict:
    """A document timestamp: intact and valid over the revision before it. The time it
    states is the TSA's word; the seal's authenticity does not rest on it, so its certificate
    is not held against the seal's trust list."""
    try:
        status = validate_pdf_timestamp(signature, validation_context=context)
    except Exception:  # a token that does not even parse counts as broken
        return SignatureVerdict(
            signature.field_name,
            "Zeitstempel",
            Role.TIMESTAMP,
            None,
            True,
            False,
            False,
            False,
            False,
            False,
        )
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    coverage = status.coverage
    return SignatureVerdict(
        field=signature.field_name,
        signer=_common_name(certificate) or "Zeitstempeldienst",
        role=Role.TIMESTAMP,
        signed_at=status.timestamp,
        timestamped=True,
        intact=status.intact,
        valid=status.valid,
        trusted=True,
        covers_whole_file=coverage is not None
        and coverage.name in ("ENTIRE_FILE", "ENTIRE_REVISION"),
        unmodified_after=True,
    )


def _verdict(field: str, status: PdfSignatureStatus, trust: TrustList) -> SignatureVerdict:
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    listed = trust.seal_signer(certificate)
    signed_at = (
        status.timestamp_validity.timestamp
        if status.timestamp_validity is not None
        else status.signer_reported_dt
    )
    coverage = status.coverage
    return SignatureVerdict(
        field=field,
        signer=_common_name(certificate) or status.signing_cert.subject.human_friendly,
        role=Role.SEAL if listed is not None else Role.PERSONAL,
        signed_at=signed_at,
        timestamped=status.timestamp_validity is not None,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=coverage is not None
        and coverage.name in ("ENTIRE_FILE", "ENTIRE_REVISION"),
        unmodified_after=status.docmdp_ok is not False
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.FORM_FILLING,
        within_listed_period=listed is None
        or signed_at is None
        or listed.sealed_within(signed_at.date()),
    )


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


def _unreadable(error: BaseException) -> str:
    return f"keine lesbare PDF-Datei (beschädigt oder unvollständig: {type(error).__name__})"


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
