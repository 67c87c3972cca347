"""A portal stand-in: sends realistic, end-to-end encrypted applications for the catalogue's
services through the sender side of the (sandbox) Submission API, good ones and bad ones."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from jwcrypto import jwe, jwk

from app.domain.catalogue import default_catalogue
from app.domain.working_days import WorkingCalendar, WorkingDays
from app.integrations.fitconnect import REPLY_SCHEMA
from app.services.demo import DemoGenerator
from sandbox.fitconnect.setup import LEIKA_PREFIX, schema_uri

METADATA_SCHEMA = "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json"
BAD_KINDS = (
    "invalid-jwe",
    "wrong-kid",
    "tampered",
    "metadata-schema",
    "data-schema",
    "attachment-hash",
    "attachment-size",
    "unknown-service",
    "weak-algorithm",  # RSA-OAEP (SHA-1) instead of the prescribed RSA-OAEP-256
    "weak-encryption",  # A128CBC-HS256 instead of the prescribed A256GCM
    "undeclared-attachment",  # the metadata names an attachment that was never announced
)
# what each bad kind must be quarantined as (the problem's name)
EXPECTED_PROBLEM = {
    "weak-algorithm": "encryption-issue",
    "weak-encryption": "encryption-issue",
    "undeclared-attachment": "missing-attachment",
}
TIMEOUT = 30


def encrypt(
    plaintext: bytes,
    key: jwk.JWK,
    *,
    kid: str,
    content_type: str,
    alg: str = "RSA-OAEP-256",
    enc: str = "A256GCM",
) -> str:
    token = jwe.JWE(
        plaintext,
        protected=json.dumps({"alg": alg, "enc": enc, "kid": kid, "cty": content_type}),
        algs=[alg, enc],
    )
    token.add_recipient(key)
    return str(token.serialize(compact=True))


def sample_pdf(size: int, title: str) -> bytes:
    """A small valid PDF, padded with a comment to about `size` bytes."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>endobj\n"
    )
    text = f"BT /F1 18 Tf 72 760 Td ({title}) Tj ET".encode("latin-1", "replace")
    body += b"4 0 obj<</Length %d>>stream\n%s\nendstream endobj\n" % (len(text), text)
    body += b"trailer<</Root 1 0 R>>\n%%EOF\n"
    padding = max(0, size - len(body))
    return body + b"%" + b"x" * padding + b"\n"


def identification_report(level: str) -> str:
    """An identification report as the portal's account reported it (header.payload.)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    header = part({"alg": "none", "typ": "JWT"})
    return f"{header}.{part({'eidasLevel': level, 'issuer': 'servicekonto.nrw'})}."


@dataclass
class Sender:
    base_url: str
    destination_id: str
    client_id: str
    client_secret: str
    seed: int = 42
    # the portal's clock: the tests pass theirs, so what a citizen enters is never "in the
    # future" to a core that runs on a frozen day
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))

    def __post_init__(self) -> None:
        self.http = requests.Session()
        self.rng = random.Random(self.seed)
        token = self.http.post(
            f"{self.base_url}/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
            timeout=TIMEOUT,
        )
        token.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        destination = self._get(f"/v1/destinations/{self.destination_id}")
        self.kid = destination["encryptionKid"]
        self.key = jwk.JWK(**self._get(f"/v1/destinations/{self.destination_id}/keys/{self.kid}"))
        catalogue = default_catalogue()
        self.catalogue = catalogue
        self.demo = DemoGenerator(
            catalogue=catalogue,
            calendar=WorkingCalendar.of_services(WorkingDays(), catalogue.services),
            offices=[],
            clerks=[],
            now=self.now(),
            seed=self.seed,
        )

    def _get(self, path: str) -> dict[str, Any]:
        response = self.http.get(self.base_url + path, timeout=TIMEOUT)
        response.raise_for_status()
        return dict(response.json())

    def submit(
        self,
        service_id: str,
        *,
        bad: str | None = None,
        attachment_size: int = 30_000,
        document: bytes | None = None,
        payment_information: dict[str, Any] | None = None,
        answers: dict[str, str] | None = None,
    ) -> str:
        """Send one application; returns its submissionId. `document`: the attachment's bytes
        (declared as a PDF whatever they are), else a generated PDF. `payment_information`:
        what the portal's payment platform said (default: the fee booked by credit card);
        `answers`: form fields set instead of generated."""
        service = self.catalogue.service(service_id)
        form = {**self.demo.application(service, at=self.now()), **(answers or {})}
        if bad == "data-schema":
            form.pop("family_name")
        data = json.dumps(form, ensure_ascii=False).encode("utf-8")
        size = 21 * 1024 * 1024 if bad == "attachment-size" else attachment_size
        if document is None:
            document = sample_pdf(size, f"Nachweis {form.get('family_name', '')}")
        attachment_id = str(uuid.uuid4())
        identifier = LEIKA_PREFIX + (
            "99999999999999" if bad == "unknown-service" else service.leika
        )
        created = self.http.post(
            f"{self.base_url}/v1/submissions",
            json={
                "destinationId": self.destination_id,
                "announcedAttachments": [attachment_id],
                "serviceType": {"name": service.name_de, "identifier": identifier},
            },
            timeout=TIMEOUT,
        )
        created.raise_for_status()
        submission = created.json()
        attachment_hash = hashlib.sha512(document).hexdigest()
        if bad == "attachment-hash":
            attachment_hash = hashlib.sha512(document + b"!").hexdigest()
        level = self.rng.choice(("substantial", "high", "high"))
        fee = service.fee.compute(form)
        metadata: dict[str, Any] = {
            "$schema": METADATA_SCHEMA,
            "contentStructure": {
                "data": {
                    "hash": {"type": "sha512", "content": hashlib.sha512(data).hexdigest()},
                    "submissionSchema": {
                        "schemaUri": schema_uri(service.id),
                        "mimeType": "application/json",
                    },
                },
                "attachments": [
                    {
                        "hash": {"type": "sha512", "content": attachment_hash},
                        "purpose": "attachment",
                        "filename": "nachweis.pdf",
                        "mimeType": "application/pdf",
                        "attachmentId": attachment_id,
                    }
                ],
            },
            "publicServiceType": {"name": service.name_de, "identifier": identifier},
            "authenticationInformation": [
                {
                    "type": "identificationReport",
                    "version": "1.0.0",
                    "content": identification_report(level),
                }
            ],
            "replyChannel": {"eMail": {"address": form.get("email", "buerger@example.org")}},
            "additionalReferenceInfo": {"applicationDate": self.now().date().isoformat()},
        }
        if payment_information is not None:
            metadata["paymentInformation"] = payment_information
        elif fee:
            metadata["paymentInformation"] = {
                "transactionId": str(uuid.uuid4()),
                "transactionReference": f"KZ-{self.rng.randint(10**9, 10**10 - 1)}",
                "paymentMethod": "CREDITCARD",
                "status": "BOOKED",
                "grossAmount": fee / 100,
            }
        if bad == "metadata-schema":
            del metadata["contentStructure"]["attachments"]
        if bad == "undeclared-attachment":
            metadata["contentStructure"]["attachments"].append(
                {
                    **metadata["contentStructure"]["attachments"][0],
                    "attachmentId": str(uuid.uuid4()),
                    "filename": "fehlt.pdf",
                }
            )
        key, kid = self.key, self.kid
        if bad == "wrong-kid":
            key = jwk.JWK.generate(kty="RSA", size=2048)
            kid = str(uuid.uuid4())
        encrypted_document = encrypt(document, key, kid=kid, content_type="application/pdf")
        encrypted_data = encrypt(data, key, kid=kid, content_type="application/json")
        weak = {
            "weak-algorithm": {"alg": "RSA-OAEP"},
            "weak-encryption": {"enc": "A128CBC-HS256"},
        }.get(bad or "", {})
        encrypted_metadata = encrypt(
            json.dumps(metadata).encode(), key, kid=kid, content_type="application/json", **weak
        )
        if bad == "tampered":
            parts = encrypted_data.split(".")
            flipped = "A" if parts[3][10] != "A" else "B"
            parts[3] = parts[3][:10] + flipped + parts[3][11:]
            encrypted_data = ".".join(parts)
        if bad == "invalid-jwe":
            encrypted_metadata = "bm90.YQ.anVuaw.c3R1ZmY.Zm9v"
        response = self.http.put(
            f"{self.base_url}/v1/submissions/{submission['submissionId']}/attachments/{attachment_id}",
            data=encrypted_document,
            headers={"Content-Type": "application/jose"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        response = self.http.put(
            f"{self.base_url}/v1/submissions/{submission['submissionId']}",
            json={"encryptedMetadata": encrypted_metadata, "encryptedData": encrypted_data},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return str(submission["submissionId"])


def submit_reply(sender: Sender, *, fit_case_id: str, service_id: str, message: str) -> str:
    """The citizen answers a question through the portal: a new submission on the same case."""
    service = sender.catalogue.service(service_id)
    identifier = LEIKA_PREFIX + service.leika
    data = json.dumps({"message": message}, ensure_ascii=False).encode()
    document = sample_pdf(20_000, "Nachgereichter Nachweis")
    attachment_id = str(uuid.uuid4())
    created = sender.http.post(
        f"{sender.base_url}/v1/submissions",
        json={
            "destinationId": sender.destination_id,
            "announcedAttachments": [attachment_id],
            "serviceType": {"name": service.name_de, "identifier": identifier},
            "caseId": fit_case_id,
        },
        timeout=TIMEOUT,
    )
    created.raise_for_status()
    submission_id = str(created.json()["submissionId"])
    metadata = {
        "$schema": METADATA_SCHEMA,
        "contentStructure": {
            "data": {
                "hash": {"type": "sha512", "content": hashlib.sha512(data).hexdigest()},
                "submissionSchema": {"schemaUri": REPLY_SCHEMA, "mimeType": "application/json"},
            },
            "attachments": [
                {
                    "hash": {"type": "sha512", "content": hashlib.sha512(document).hexdigest()},
                    "purpose": "attachment",
                    "filename": "nachweis-nachgereicht.pdf",
                    "mimeType": "application/pdf",
                    "attachmentId": attachment_id,
                }
            ],
        },
        "publicServiceType": {"name": service.name_de, "identifier": identifier},
    }
    upload = sender.http.put(
        f"{sender.base_url}/v1/submissions/{submission_id}/attachments/{attachment_id}",
        data=encrypt(document, sender.key, kid=sender.kid, content_type="application/pdf"),
        headers={"Content-Type": "application/jose"},
        timeout=TIMEOUT,
    )
    upload.raise_for_status()
    submit = sender.http.put(
        f"{sender.base_url}/v1/submissions/{submission_id}",
        json={
            "encryptedMetadata": encrypt(
                json.dumps(metadata).encode(),
                sender.key,
                kid=sender.kid,
                content_type="application/json",
            ),
            "encryptedData": encrypt(
                data, sender.key, kid=sender.kid, content_type="application/json"
            ),
        },
        timeout=TIMEOUT,
    )
    submit.raise_for_status()
    return submission_id
