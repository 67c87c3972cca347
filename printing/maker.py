"""Makes a sealed original: printed seal (VDS) first, then the PDF around it, then the PAdES
seal over the PDF, optionally the clerk's own signature after it."""

from __future__ import annotations

import datetime as dt
import functools

from cryptography import x509

from app.domain.documents import DocumentContent, MadeDocument
from printing import layout, pades, seal_profile
from printing.seal_keys import SealKey, certificate_reference
from printing.templates import TEMPLATES


class SealedDocumentMaker:
    def __init__(
        self,
        seal_key: SealKey,
        *,
        signer_id: str,
        location: str,
        timestamp_url: str | None = None,
        clerk_key: SealKey | None = None,
        coat_of_arms: bytes | None = None,
        trust_roots: tuple[x509.Certificate, ...] = (),
    ) -> None:
        """`trust_roots` (the trust list's): with them, and a seal certificate that names its
        revocation services, every seal embeds chain and revocation data (PAdES B-LT)."""
        self._key, self._clerk_key = seal_key, clerk_key
        self._coat_of_arms = coat_of_arms
        self._long_term = (
            pades.long_term_context(trust_roots)
            if trust_roots and pades.names_revocation_sources(seal_key.certificate)
            else None
        )
        self._signer_id, self._location = signer_id, location
        self._timestamper = pades.timestamper_for(timestamp_url)
        self._reference = certificate_reference(seal_key.certificate)

    def printed_seals(self, content: DocumentContent) -> tuple[bytes, ...]:
        """The printed seal's symbols (one, or two where the facts need them)."""
        header = seal_profile.header_for(
            content,
            signer_id=self._signer_id,
            certificate_reference=self._reference,
            signed_on=dt.date.today(),
        )
        bits = self._key.certificate.public_key().curve.key_size  # type: ignore[union-attr]
        signature_bytes = 2 * ((bits + 7) // 8)
        seals = seal_profile.seals_for(content, header, self._key.sign_raw, signature_bytes)
        return tuple(seal.encode() for seal in seals)

    def printed_seal(self, content: DocumentContent) -> bytes:
        """All symbols' bytes one after another, as the register keeps them (`vds.split`)."""
        return b"".join(self.printed_seals(content))

    def make(self, content: DocumentContent) -> MadeDocument:
        seals = self.printed_seals(content)
        pdf, pages = layout.render(
            content,
            seals,
            TEMPLATES[content.kind](content, seals),
            coat_of_arms=self._coat_of_arms,
        )
        seal = functools.partial(
            pades.sign_pdf,
            pdf,
            self._key.pdf_signer(),
            reason=f"{content.title} {content.number}",
            location=self._location,
            certify=True,
            long_term=self._long_term,
        )
        pending = False
        try:
            sealed = seal(timestamper=self._timestamper)
        except pades.TimestampUnavailable:
            # the counter goes on: sealed B-B now, the document timestamp added when the TSA
            # answers again (the register marks the original as waiting for it)
            sealed, pending = seal(timestamper=None), True
        if self._clerk_key is not None:
            sealed = pades.sign_pdf(
                sealed,
                self._clerk_key.pdf_signer(),
                field_name=pades.CLERK_FIELD,
                reason=f"Gezeichnet: {content.issuer.clerk_name}",
                location=self._location,
            )
        return MadeDocument(
            pdf=sealed, pages=pages, seal=b"".join(seals), timestamp_pending=pending
        )
