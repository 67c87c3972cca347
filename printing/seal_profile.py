"""The city's private VDS profile: which features each document's printed seal carries.

BSI TR-03137 defines no profile for a Meldebescheinigung, a parking permit or a civil-status
certificate, so this one is private (feature-definition reference 0xE1) and published with the
trust list; docs/vds-profile.md is its human-readable form. Texts are UTF-8, dates in the VDS
three-byte form. Tag 0x06 binds everything printed in the fact table: a checker recomputes it
from the paper, so a seal cannot be moved to another document with the same name on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from app.domain.documents import TITLES, DocumentContent, DocumentKind
from printing import vds

ISSUING_COUNTRY = "D<<"
FEATURE_REFERENCE = 0xE1

DOCUMENT_TYPES: dict[DocumentKind, int] = {
    DocumentKind.MELDEBESCHEINIGUNG: 0x01,
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: 0x02,
    DocumentKind.BEWOHNERPARKAUSWEIS: 0x03,
    DocumentKind.GEBURTSURKUNDE: 0x04,
    DocumentKind.EHEURKUNDE: 0x05,
    DocumentKind.STERBEURKUNDE: 0x06,
    DocumentKind.ABLEHNUNGSBESCHEID: 0x07,
}
KINDS_BY_TYPE = {code: kind for kind, code in DOCUMENT_TYPES.items()}

TAG_NUMBER = 0x01
TAG_FAMILY_NAME = 0x02
TAG_GIVEN_NAMES = 0x03
TAG_BIRTH_DATE = 0x04
TAG_CASE_REFERENCE = 0x05
TAG_FACTS_DIGEST = 0x06
FIRST_KEY_FACT_TAG = 0x10

# The facts worth reading off the seal itself (what a checker wants to compare at a glance).
KEY_FACTS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.MELDEBESCHEINIGUNG: ("Anschrift (Hauptwohnung)",),
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: ("Anschrift (Hauptwohnung)",),
    DocumentKind.BEWOHNERPARKAUSWEIS: ("Parkzone", "Amtliches Kennzeichen", "Gültig bis"),
    DocumentKind.GEBURTSURKUNDE: ("Kind", "Tag der Geburt", "Ort der Geburt"),
    DocumentKind.EHEURKUNDE: ("Ehegatte 1", "Ehegatte 2", "Tag der Eheschließung"),
    DocumentKind.STERBEURKUNDE: ("Verstorbene Person", "Tag des Todes"),
    DocumentKind.ABLEHNUNGSBESCHEID: ("Antrag",),
}

DIGEST_BYTES = 16


def facts_digest(facts: tuple[tuple[str, str], ...]) -> bytes:
    canonical = "\n".join(f"{label}={value}" for label, value in facts)
    return hashlib.sha256(canonical.encode()).digest()[:DIGEST_BYTES]


def features_for(content: DocumentContent) -> tuple[vds.Feature, ...]:
    features: list[vds.Feature] = [
        (TAG_NUMBER, content.number.encode()),
        (TAG_FAMILY_NAME, content.holder_family_name.encode()),
        (TAG_GIVEN_NAMES, content.holder_given_names.encode()),
        (TAG_BIRTH_DATE, vds.encode_date(content.holder_birth_date)),
        (TAG_CASE_REFERENCE, content.case_reference.encode()),
        (TAG_FACTS_DIGEST, facts_digest(content.facts)),
    ]
    for offset, label in enumerate(KEY_FACTS[content.kind]):
        features.append((FIRST_KEY_FACT_TAG + offset, content.fact(label).encode()))
    return tuple(features)


def header_for(
    content: DocumentContent, *, signer_id: str, certificate_reference: str, signed_on: dt.date
) -> vds.VdsHeader:
    return vds.VdsHeader(
        issuing_country=ISSUING_COUNTRY,
        signer_id=signer_id,
        certificate_reference=certificate_reference,
        issue_date=content.issued_on,
        signature_date=signed_on,
        feature_reference=FEATURE_REFERENCE,
        document_type=DOCUMENT_TYPES[content.kind],
    )


@dataclass(frozen=True, slots=True)
class SealReading:
    """What a seal of this profile says, in words."""

    kind: DocumentKind
    title: str
    number: str
    family_name: str
    given_names: str
    birth_date: dt.date
    case_reference: str
    issued_on: dt.date
    facts: tuple[tuple[str, str], ...]
    facts_digest: bytes


def read(seal: vds.VisibleDigitalSeal) -> SealReading:
    header = seal.header
    if header.feature_reference != FEATURE_REFERENCE:
        raise vds.VdsError(
            f"Siegel eines anderen Profils (Merkmalsdefinition {header.feature_reference:#04x})"
        )
    kind = KINDS_BY_TYPE.get(header.document_type)
    if kind is None:
        raise vds.VdsError(f"unbekannter Dokumenttyp {header.document_type:#04x}")

    def text(tag: int) -> str:
        value = seal.feature(tag)
        if value is None:
            raise vds.VdsError(f"Merkmal {tag:#04x} fehlt")
        try:
            return value.decode()
        except UnicodeDecodeError as error:
            raise vds.VdsError(f"Merkmal {tag:#04x} ist kein UTF-8") from error

    birth = seal.feature(TAG_BIRTH_DATE)
    digest = seal.feature(TAG_FACTS_DIGEST)
    if birth is None or digest is None:
        raise vds.VdsError("Geburtsdatum oder Prüfwert fehlt")
    facts = tuple(
        (label, text(FIRST_KEY_FACT_TAG + offset)) for offset, label in enumerate(KEY_FACTS[kind])
    )
    return SealReading(
        kind=kind,
        title=TITLES[kind],
        number=text(TAG_NUMBER),
        family_name=text(TAG_FAMILY_NAME),
        given_names=text(TAG_GIVEN_NAMES),
        birth_date=vds.decode_date(birth),
        case_reference=text(TAG_CASE_REFERENCE),
        issued_on=header.issue_date,
        facts=facts,
        facts_digest=digest,
    )
