"""The city's private VDS profile: what each document's printed seal carries.

BSI TR-03137 defines no profile for a Meldebescheinigung, a parking permit or a civil-status
certificate, so this one is private (feature-definition reference 0xE2) and published with the
trust list; docs/vds-profile.md is its human-readable form, and a test holds the two together.

Every fact that gives a document its legal meaning is carried in clear, so an offline check of
the paper shows them all: the holder's names and date of birth in their own features, and every
row of the printed fact table under the tag its label has in `FACT_LABELS`. Texts are UTF-8 as
printed (dates in a fact included, `dd.mm.yyyy`); only the holder's date of birth uses the VDS
three-byte date. What does not fit one DataMatrix symbol goes into a second, a whole seal of its
own that names its part. Only the grounds of a rejection notice, free text of any length, are
carried as a digest (0x06): a checker recomputes it from a PDF's text layer and says that a scan
check cannot cover them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from app.domain.documents import TITLES, DocumentContent, DocumentKind
from printing import vds

ISSUING_COUNTRY = "D<<"
FEATURE_REFERENCE = 0xE2

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
TAG_GROUNDS_DIGEST = 0x06
TAG_PART = 0x07
FIRST_FACT_TAG = 0x10

_MELDE = (
    "Familienname",
    "Vornamen",
    "Doktorgrad",
    "Geburtsdatum",
    "Anschrift (Hauptwohnung)",
    "Anschrift (Nebenwohnung)",
)
# Every label a document's fact table may print, in print order: the fact's tag is
# FIRST_FACT_TAG + its index here. Labels are only ever appended (old seals stay readable).
FACT_LABELS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.MELDEBESCHEINIGUNG: _MELDE,
    DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT: (
        *_MELDE,
        "Einzugsdatum",
        "Geburtsort",
        "Staatsangehörigkeit",
        "Frühere Anschriften",
        "Familienstand",
        "Verwendungszweck",
    ),
    DocumentKind.BEWOHNERPARKAUSWEIS: (
        "Parkzone",
        "Amtliches Kennzeichen",
        "Bewohner/in",
        "Anschrift",
        "Gültig vom",
        "Gültig bis",
    ),
    DocumentKind.GEBURTSURKUNDE: (
        "Art",
        "Kind",
        "Tag der Geburt",
        "Ort der Geburt",
        "Geschlecht",
        "Eltern",
        "Registereintrag",
    ),
    DocumentKind.EHEURKUNDE: (
        "Art",
        "Ehegatte 1",
        "Ehegatte 2",
        "Tag der Eheschließung",
        "Ort der Eheschließung",
        "Ehename",
        "Registereintrag",
    ),
    DocumentKind.STERBEURKUNDE: (
        "Art",
        "Verstorbene Person",
        "Tag des Todes",
        "Ort des Todes",
        "Geboren am, in",
        "Letzter Wohnsitz",
        "Familienstand",
        "Registereintrag",
    ),
    DocumentKind.ABLEHNUNGSBESCHEID: ("Antrag", "Eingegangen am", "Aktenzeichen"),
}

GROUNDS = "Begründung"  # the rejection notice's section carried as a digest only
DIGEST_BYTES = 16
# One symbol stays at 88×88 modules or less: 0.34 mm modules in the 30 mm square, read from a
# 200 dpi office scan (three pixels a module). Header, signature and TLV overhead included.
SYMBOL_BYTES = 560
MAX_SYMBOLS = 2


class SealCapacityError(ValueError):
    """The document's facts do not fit the printed seal's symbols."""


def normalise(text: str) -> str:
    """The form a digest is taken over: whitespace runs as one space (a PDF's text layer breaks
    lines where the page does)."""
    return re.sub(r"\s+", " ", text).strip()


def grounds_digest(grounds: str) -> bytes:
    return hashlib.sha256(f"{GROUNDS}={normalise(grounds)}".encode()).digest()[:DIGEST_BYTES]


def fact_tag(kind: DocumentKind, label: str) -> int:
    try:
        return FIRST_FACT_TAG + FACT_LABELS[kind].index(label)
    except ValueError:
        raise SealCapacityError(f"{TITLES[kind]}: kein Merkmal für {label!r} im Profil") from None


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


def _holder_features(content: DocumentContent) -> list[vds.Feature]:
    features: list[vds.Feature] = [
        (TAG_NUMBER, content.number.encode()),
        (TAG_FAMILY_NAME, content.holder_family_name.encode()),
        (TAG_GIVEN_NAMES, content.holder_given_names.encode()),
        (TAG_BIRTH_DATE, vds.encode_date(content.holder_birth_date)),
        (TAG_CASE_REFERENCE, content.case_reference.encode()),
    ]
    if content.kind is DocumentKind.ABLEHNUNGSBESCHEID:
        features.append((TAG_GROUNDS_DIGEST, grounds_digest(content.reasons or "—")))
    return features


def _size(header: vds.VdsHeader, features: list[vds.Feature], signature_bytes: int) -> int:
    unsigned = len(vds.encode_unsigned(header, tuple(features)))
    return unsigned + 1 + len(vds.der_length(signature_bytes)) + signature_bytes


def seals_for(
    content: DocumentContent, header: vds.VdsHeader, sign: vds.RawSigner, signature_bytes: int
) -> tuple[vds.VisibleDigitalSeal, ...]:
    """The document's printed seal: one symbol, or two where its facts need them (each a whole
    seal that names its part and the document number)."""
    facts = [(fact_tag(content.kind, label), value.encode()) for label, value in content.facts]
    parts: list[list[vds.Feature]] = [_holder_features(content)]
    for fact in facts:
        if _size(header, [*parts[-1], (TAG_PART, b"\x01\x02"), fact], signature_bytes) > (
            SYMBOL_BYTES
        ):
            parts.append([(TAG_NUMBER, content.number.encode())])
            if _size(header, [*parts[-1], (TAG_PART, b"\x02\x02"), fact], signature_bytes) > (
                SYMBOL_BYTES
            ):
                raise SealCapacityError(f"{content.title}: eine Angabe ist zu lang für das Siegel")
        parts[-1].append(fact)
    if len(parts) > MAX_SYMBOLS:
        raise SealCapacityError(
            f"{content.title}: die Angaben passen nicht in {MAX_SYMBOLS} Siegel-Symbole"
        )
    if len(parts) > 1:
        for index, features in enumerate(parts, start=1):
            features.insert(1, (TAG_PART, bytes((index, len(parts)))))
    return tuple(vds.seal(header, tuple(features), sign) for features in parts)


@dataclass(frozen=True, slots=True)
class SealReading:
    """What a seal of this profile says, in words; for a two-part seal, both parts joined."""

    kind: DocumentKind
    title: str
    number: str
    family_name: str
    given_names: str
    birth_date: dt.date
    case_reference: str
    issued_on: dt.date
    facts: tuple[tuple[str, str], ...]
    grounds_digest: bytes | None

    @property
    def covered_by_digest_only(self) -> tuple[str, ...]:
        """Printed sections the seal holds only as a digest: a scan check cannot cover them."""
        return (GROUNDS,) if self.grounds_digest is not None else ()


@dataclass(frozen=True, slots=True)
class SealPart:
    """One symbol's content: the document it belongs to, which part, and what it says."""

    number: str
    part: int
    parts: int
    features: tuple[vds.Feature, ...]
    header: vds.VdsHeader


def part_of(seal: vds.VisibleDigitalSeal) -> SealPart:
    header = seal.header
    if header.feature_reference != FEATURE_REFERENCE:
        raise vds.VdsError(
            f"Siegel eines anderen Profils (Merkmalsdefinition {header.feature_reference:#04x})"
        )
    if header.document_type not in KINDS_BY_TYPE:
        raise vds.VdsError(f"unbekannter Dokumenttyp {header.document_type:#04x}")
    number = seal.feature(TAG_NUMBER)
    if number is None:
        raise vds.VdsError("Merkmal Dokumentnummer fehlt")
    part = seal.feature(TAG_PART) or b"\x01\x01"
    if len(part) != 2 or not 1 <= part[0] <= part[1] <= MAX_SYMBOLS:
        raise vds.VdsError("Merkmal Teil ist fehlerhaft")
    return SealPart(_utf8(number, TAG_NUMBER), part[0], part[1], seal.features, header)


def read(parts: list[SealPart]) -> SealReading:
    """The reading of a whole seal from all its parts (in any order, each given once)."""
    ordered = sorted(parts, key=lambda p: p.part)
    first = ordered[0]
    if [p.part for p in ordered] != list(range(1, first.parts + 1)):
        raise vds.VdsError("Teile des Siegels fehlen oder sind doppelt")
    if any(
        (p.header.document_type, p.header.issue_date, p.number)
        != (first.header.document_type, first.header.issue_date, first.number)
        for p in ordered
    ):
        raise vds.VdsError("die Teile des Siegels gehören zu verschiedenen Dokumenten")
    kind = KINDS_BY_TYPE[first.header.document_type]
    head = dict(first.features)
    labels = FACT_LABELS[kind]
    facts: list[tuple[str, str]] = []
    for part in ordered:
        for tag, value in part.features:
            if tag < FIRST_FACT_TAG:
                continue
            if tag - FIRST_FACT_TAG >= len(labels):
                raise vds.VdsError(f"Merkmal {tag:#04x} gehört nicht zu diesem Dokumenttyp")
            facts.append((labels[tag - FIRST_FACT_TAG], _utf8(value, tag)))

    def text(tag: int) -> str:
        if tag not in head:
            raise vds.VdsError(f"Merkmal {tag:#04x} fehlt")
        return _utf8(head[tag], tag)

    if TAG_BIRTH_DATE not in head:
        raise vds.VdsError("Merkmal Geburtsdatum fehlt")
    digest = head.get(TAG_GROUNDS_DIGEST)
    if kind is DocumentKind.ABLEHNUNGSBESCHEID and digest is None:
        raise vds.VdsError("Prüfwert der Begründung fehlt")
    return SealReading(
        kind=kind,
        title=TITLES[kind],
        number=first.number,
        family_name=text(TAG_FAMILY_NAME),
        given_names=text(TAG_GIVEN_NAMES),
        birth_date=vds.decode_date(head[TAG_BIRTH_DATE]),
        case_reference=text(TAG_CASE_REFERENCE),
        issued_on=first.header.issue_date,
        facts=tuple(facts),
        grounds_digest=digest,
    )


def _utf8(value: bytes, tag: int) -> str:
    try:
        return value.decode()
    except UnicodeDecodeError as error:
        raise vds.VdsError(f"Merkmal {tag:#04x} ist kein UTF-8") from error
