"""The public verifier page, built for the city to publish: the page's own files
(`printing/verifier_page/`), the barcode reader and the PDF renderer as npm installed them from
the page's lock (`npm ci`), the trust list as the browser checks it (each seal certificate's
public key, its period, whether the city's seal CA issued it) and the seal profile's labels.
Static files only; the same inputs give the same bytes."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.domain.documents import TITLES, DocumentKind
from printing import seal_profile
from printing.trust_list import Signer, TrustList

PAGE = Path(__file__).resolve().parent / "verifier_page"
PAGE_FILES = ("index.html", "verifier.css", "main.js", "seal.js")
# (installed file under node_modules, where the page loads it)
VENDOR_FILES = (
    ("zxing-wasm/dist/es/reader/index.js", "vendor/zxing/reader/index.js"),
    ("zxing-wasm/dist/es/share.js", "vendor/zxing/share.js"),
    ("zxing-wasm/dist/reader/zxing_reader.wasm", "vendor/zxing/reader/zxing_reader.wasm"),
    ("zxing-wasm/LICENSE", "vendor/zxing/LICENSE"),
    ("pdfjs-dist/build/pdf.min.mjs", "vendor/pdfjs/pdf.min.mjs"),
    ("pdfjs-dist/build/pdf.worker.min.mjs", "vendor/pdfjs/pdf.worker.min.mjs"),
    ("pdfjs-dist/LICENSE", "vendor/pdfjs/LICENSE"),
)
WEB_CURVES = {"secp256r1": ("P-256", "SHA-256"), "secp384r1": ("P-384", "SHA-384")}


class VerifierBuildError(RuntimeError):
    """The page cannot be built; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class BuiltPage:
    folder: Path
    files: tuple[str, ...]
    size: int  # bytes, all files
    first_load: int  # bytes a visit loads before a PDF is chosen (pdf.js only then)


def node_modules(page: Path = PAGE) -> Path:
    return page / "node_modules"


def _web_signer(signer: Signer, issued_by_city: bool) -> dict[str, object]:
    key = signer.certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name not in WEB_CURVES:
        raise VerifierBuildError(
            f"Siegelzertifikat {signer.signer_id}/{signer.reference}: kein EC-Schlüssel auf "
            "P-256 oder P-384 (die Seite prüft mit WebCrypto)"
        )
    curve, digest = WEB_CURVES[key.curve.name]
    spki = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "signer_id": signer.signer_id,
        "certificate_reference": signer.reference,
        "fingerprint": signer.fingerprint,
        "spki": base64.b64encode(spki).decode(),
        "curve": curve,
        "hash": digest,
        "valid_from": signer.first_day.isoformat(),
        "valid_until": signer.last_day.isoformat(),
        "issued_by_city": issued_by_city,
    }


def web_trust_list(trust: TrustList) -> dict[str, object]:
    """The trust list as the page checks it; a certificate the city's CA did not issue stays
    in it, marked, so the page answers NICHT ECHT as the desktop does."""
    from printing.verify import issued_by_city

    signers = sorted(trust.signers, key=lambda s: (s.signer_id, s.reference))
    return {
        "format": "buergerbuero-verifier-trust/1",
        "issuer": trust.authority,
        "signers": [_web_signer(s, issued_by_city(s.certificate, trust)) for s in signers],
    }


def web_profile() -> dict[str, object]:
    return {
        "format": "buergerbuero-vds-profile/1",
        "feature_reference": seal_profile.FEATURE_REFERENCE,
        "max_symbols": seal_profile.MAX_SYMBOLS,
        "grounds_section": seal_profile.GROUNDS,
        "documents": {
            str(code): {
                "title": TITLES[kind],
                "labels": list(seal_profile.FACT_LABELS[kind]),
                "grounds_digest": kind is DocumentKind.ABLEHNUNGSBESCHEID,
            }
            for kind, code in seal_profile.DOCUMENT_TYPES.items()
        },
    }


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def build(out: Path, trust: TrustList, *, page: Path = PAGE) -> BuiltPage:
    modules = node_modules(page)
    missing = [source for source, _ in VENDOR_FILES if not (modules / source).is_file()]
    if missing:
        raise VerifierBuildError(
            f"Leser und PDF-Anzeige der Seite fehlen ({missing[0]}): `npm ci` in {page} "
            "ausführen (make bootstrap tut es)"
        )
    contents: dict[str, bytes] = {name: (page / name).read_bytes() for name in PAGE_FILES}
    contents.update({target: (modules / source).read_bytes() for source, target in VENDOR_FILES})
    contents["trust.json"] = _json(web_trust_list(trust))
    contents["profile.json"] = _json(web_profile())
    cached = ["./", *sorted(contents)]
    version = hashlib.sha256(b"".join(contents[name] for name in sorted(contents))).hexdigest()
    contents["sw.js"] = (
        (page / "sw.js")
        .read_text()
        .replace("__VERSION__", f"verifier-{version[:16]}")
        .replace("__FILES__", json.dumps(cached))
        .encode()
    )
    if out.exists():
        shutil.rmtree(out)
    for name, data in contents.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    lazy = {target for _, target in VENDOR_FILES if "pdfjs" in target or target.endswith("LICENSE")}
    return BuiltPage(
        folder=out,
        files=tuple(sorted(contents)),
        size=sum(len(data) for data in contents.values()),
        first_load=sum(len(data) for name, data in contents.items() if name not in lazy),
    )
