"""Makes a sealed original: printed seal (VDS) first, then the PDF around it, then the PAdES
seal over the PDF, optionally the clerk's own signature after it."""

from __future__ import annotations

import datetime as dt

from app.domain.documents import DocumentContent, MadeDocument
from printing import layout, pades, seal_profile, vds
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
    ) -> None:
        self._key, self._clerk_key = seal_key, clerk_key
        self._signer_id, self._location = signer_id, location
        self._timestamper = pades.timestamper_for(timestamp_url)
        self._reference = certificate_reference(seal_key.certificate)

    def printed_seal(self, content: DocumentContent) -> bytes:
        header = seal_profile.header_for(
            content,
            signer_id=self._signer_id,
            certificate_reference=self._reference,
            signed_on=dt.date.today(),
        )
        return vds.seal(header, seal_profile.features_for(content), self._key.sign_raw).encode()

    def make(self, content: DocumentContent) -> MadeDocument:
        printed_seal = self.printed_seal(content)
        pdf, pages = layout.render(
            content, printed_seal, TEMPLATES[content.kind](content, printed_seal)
        )
        sealed = pades.sign_pdf(
            pdf,
            self._key.pdf_signer(),
            reason=f"{content.title} {content.number}",
            location=self._location,
            timestamper=self._timestamper,
        )
        if self._clerk_key is not None:
            sealed = pades.sign_pdf(
                sealed,
                self._clerk_key.pdf_signer(),
                field_name=pades.CLERK_FIELD,
                reason=f"Gezeichnet: {content.issuer.clerk_name}",
                location=self._location,
            )
        return MadeDocument(pdf=sealed, pages=pages, seal=printed_seal)
