"""The SubmissionSource port on FIT-Connect: download, decrypt (JWE), verify hashes, validate
metadata and form data against their schemas, and answer with signed accept/reject events."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jwcrypto import jwk

from app.domain import media
from app.domain.catalogue import Catalogue
from app.domain.intake import (
    PendingSubmission,
    Problem,
    ReceivedAttachment,
    ReceivedSubmission,
    SubmissionRejected,
)
from app.domain.intake import problem_types as intake_problem_types
from app.integrations.fitconnect import (
    EVENTS,
    LEIKA_PREFIX,
    REPLY_DATA_SCHEMA,
    REPLY_SCHEMA,
    SET_SCHEMA,
    schema_uri,
)
from app.integrations.fitconnect.client import FitConnectClient
from app.integrations.fitconnect.keys import (
    DecryptionFailed,
    DecryptionKeys,
    PlaintextTooLarge,
    Signer,
)


@cache
def metadata_validator() -> jsonschema.Draft202012Validator:
    text = (
        resources.files("app.integrations.fitconnect")
        .joinpath("metadata.schema.v1.0.0.json")
        .read_text("utf-8")
    )
    return jsonschema.Draft202012Validator(json.loads(text))


def data_schema(catalogue: Catalogue, service_id: str) -> dict[str, Any]:
    """The JSON schema we publish for a service's form data (generated from the catalogue)."""
    fields = catalogue.form_fields(service_id)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_uri(service_id),
        "type": "object",
        "properties": {
            spec.name: {
                "type": "string",
                **({"maxLength": spec.max_length} if spec.max_length else {}),
            }
            for spec in fields
        },
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
    }


def _tag(compact: str) -> str:
    return compact.split(".")[4] if compact.count(".") == 4 else ""


def applicant_name(data: dict[str, Any]) -> str:
    """'Family, Given' as the inbox writes it, from whatever the form data holds."""
    family, given = str(data.get("family_name", "")), str(data.get("given_names", ""))
    return (f"{family}, {given}" if given else family).strip()[:200]


class FitConnectSource:
    def __init__(
        self,
        *,
        client: FitConnectClient,
        destination_id: str,
        decryption: DecryptionKeys,
        signing: Signer,
        catalogue: Catalogue,
        max_attachment_bytes: int = 20 * 1024 * 1024,
        issuer: str | None = None,
        problem_types: Mapping[Problem, str] | None = None,
    ) -> None:
        self.client = client
        self.destination_id = destination_id
        self.decryption = decryption
        self.signing = signing
        self.catalogue = catalogue
        self.max_attachment_bytes = max_attachment_bytes
        self.issuer = issuer or destination_id
        self.problem_types = dict(problem_types or intake_problem_types())
        self._services = {LEIKA_PREFIX + s.leika: s.id for s in catalogue.services}
        # a validator per schema, made once: building one costs more than validating with it
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._reply_validator = jsonschema.Draft202012Validator(REPLY_DATA_SCHEMA)

    def _data_validator(self, service_id: str) -> jsonschema.Draft202012Validator:
        validator = self._validators.get(service_id)
        if validator is None:
            validator = jsonschema.Draft202012Validator(data_schema(self.catalogue, service_id))
            self._validators[service_id] = validator
        return validator

    # --- receiving ------------------------------------------------------------------------------

    def pending(self) -> Iterator[PendingSubmission]:
        for item in self.client.submissions(self.destination_id):
            yield PendingSubmission(str(item["submissionId"]), str(item["caseId"]))

    def _decrypt(self, compact: str, instance: str, received_as: Callable[[], bytes]) -> bytes:
        try:
            header = json.loads(base64.urlsafe_b64decode(compact.split(".")[0] + "=="))
        except (ValueError, IndexError) as error:
            raise SubmissionRejected(
                Problem.SYNTAX,
                f"{instance}: not a compact JWE",
                instance=instance,
                raw=received_as(),
            ) from error
        if not isinstance(header, dict):
            raise SubmissionRejected(
                Problem.SYNTAX,
                f"{instance}: JWE header is not an object",
                instance=instance,
                raw=received_as(),
            )
        kid = header.get("kid")
        if header.get("alg") != "RSA-OAEP-256" or header.get("enc") != "A256GCM":
            raise SubmissionRejected(
                Problem.ENCRYPTION,
                f"{instance}: {header.get('alg')}/{header.get('enc')} not allowed",
                instance=instance,
                raw=received_as(),
            )
        try:
            return self.decryption.decrypt(
                compact, kid if isinstance(kid, str) else None, self.max_attachment_bytes
            )
        except PlaintextTooLarge as error:  # a DEFLATE bomb, or simply too much
            raise SubmissionRejected(
                Problem.ATTACHMENT_SIZE,
                f"{instance}: {error}",
                instance=instance,
                raw=received_as(),
            ) from error
        except DecryptionFailed as error:
            # a kid that names none of our keys, and no key opens it: encrypted for another
            # destination (or a key we were never given)
            unknown = isinstance(kid, str) and bool(kid) and not self.decryption.names(kid)
            raise SubmissionRejected(
                Problem.UNKNOWN_KEY if unknown else Problem.ENCRYPTION,
                f"{instance}: kid {kid!r}: {error}" if unknown else f"{instance}: {error}",
                instance=instance,
                raw=received_as(),
            ) from error

    def receive(self, pending: PendingSubmission) -> ReceivedSubmission:
        body = self.client.submission(pending.submission_id)
        attachments_encrypted = {
            attachment_id: self.client.attachment(pending.submission_id, attachment_id)
            for attachment_id in body.get("attachments", [])
        }

        @cache
        def received_as() -> bytes:
            return json.dumps({"submission": body, "attachments": attachments_encrypted}).encode()

        known = {"service": str(body.get("serviceType", {}).get("name", ""))[:200]}

        def reject(problem: Problem, detail: str, instance: str = "metadata") -> SubmissionRejected:
            return SubmissionRejected(
                problem, detail, instance=instance, raw=received_as(), **known
            )

        try:
            encrypted_metadata = str(body.get("encryptedMetadata", ""))
            metadata_text = self._decrypt(encrypted_metadata, "metadata", received_as)
            try:
                metadata = json.loads(metadata_text)
            except ValueError as error:
                raise reject(Problem.SYNTAX, "metadata is not JSON") from error
            errors = sorted(metadata_validator().iter_errors(metadata), key=lambda e: list(e.path))
            if errors:
                where = "/".join(str(p) for p in errors[0].path) or "(root)"
                raise reject(Problem.METADATA_SCHEMA, f"{where}: {errors[0].message}"[:300])
            structure = metadata["contentStructure"]

            identifier = str(
                metadata.get("publicServiceType", {}).get("identifier")
                or body.get("serviceType", {}).get("identifier", "")
            )
            service_id = self._services.get(identifier)
            if service_id is None:
                raise reject(Problem.UNSUPPORTED_SERVICE, identifier or "no service identifier")

            data_declared = structure.get("data")
            if data_declared is None or "encryptedData" not in body:
                raise reject(Problem.DATA_SCHEMA, "no form data", "data")
            data_bytes = self._decrypt(str(body["encryptedData"]), "data", received_as)
            if hashlib.sha512(data_bytes).hexdigest() != data_declared["hash"]["content"]:
                raise reject(Problem.HASH_MISMATCH, "data", "data")
            declared_schema = data_declared["submissionSchema"]["schemaUri"]
            if declared_schema not in (schema_uri(service_id), REPLY_SCHEMA):
                raise reject(Problem.DATA_SCHEMA, f"unknown schema {declared_schema}", "data")
            try:
                data = json.loads(data_bytes)
            except ValueError as error:
                raise reject(Problem.DATA_SCHEMA, "form data is not JSON", "data") from error
            if isinstance(data, dict) and data.get("family_name"):
                known["applicant"] = applicant_name(data)
            is_reply = declared_schema == REPLY_SCHEMA
            validator = self._reply_validator if is_reply else self._data_validator(service_id)
            data_errors = list(validator.iter_errors(data))
            if data_errors:
                raise reject(Problem.DATA_SCHEMA, data_errors[0].message[:300], "data")

            declared = {item["attachmentId"]: item for item in structure["attachments"]}
            if set(declared) != set(attachments_encrypted):
                raise reject(
                    Problem.MISSING_ATTACHMENT, "announced and declared attachments differ"
                )
            received: list[ReceivedAttachment] = []
            notes: list[str] = []
            for number, (attachment_id, compact) in enumerate(
                attachments_encrypted.items(), start=1
            ):
                instance = f"attachment:{attachment_id}"
                if len(compact) * 3 // 4 > self.max_attachment_bytes:
                    raise reject(
                        Problem.ATTACHMENT_SIZE, f"{len(compact) * 3 // 4} bytes", instance
                    )
                content = self._decrypt(compact, instance, received_as)
                if (
                    hashlib.sha512(content).hexdigest()
                    != declared[attachment_id]["hash"]["content"]
                ):
                    raise reject(
                        Problem.HASH_MISMATCH,
                        declared[attachment_id].get("filename", attachment_id),
                        instance,
                    )
                media_type = str(declared[attachment_id]["mimeType"])
                name = media.file_name(
                    str(declared[attachment_id].get("filename") or ""),
                    media_type,
                    content,
                    stem=f"Anlage-{number}",
                )
                actual = media.sniff(content)
                if not media.agrees(media_type, content) and actual is not None:
                    # the proof is still a proof: the clerk is told, the case is not refused
                    notes.append(
                        f"Anlage „{name}“: angegeben als {media_type}, der Inhalt ist {actual}."
                    )
                    media_type = actual
                received.append(ReceivedAttachment(attachment_id, name, media_type, content))
            tags = {
                "metadata": _tag(str(body["encryptedMetadata"])),
                "data": _tag(str(body["encryptedData"])),
                "attachments": {
                    aid: _tag(compact) for aid, compact in attachments_encrypted.items()
                },
            }
            return ReceivedSubmission(
                submission_id=pending.submission_id,
                fit_case_id=pending.fit_case_id,
                service_identifier=identifier,
                metadata=metadata,
                data=data,
                attachments=tuple(received),
                authentication_tags=tags,
                received_as=received_as,
                extra={"service_id": service_id, "reply": is_reply},
                notes=tuple(notes),
            )
        except SubmissionRejected as rejected:  # also a refusal from _decrypt: say what is known
            rejected.service = rejected.service or known["service"]
            rejected.applicant = rejected.applicant or known.get("applicant", "")
            raise

    # --- answering ------------------------------------------------------------------------------

    def _event(
        self, submission_id: str, fit_case_id: str, event: str, payload: dict[str, Any]
    ) -> str:
        return self.signing.sign_set(
            {
                "$schema": SET_SCHEMA,
                "jti": str(uuid.uuid4()),
                "iss": self.issuer,
                "iat": int(time.time()),
                "sub": f"submission:{submission_id}",
                "txn": f"case:{fit_case_id}",
                "events": {EVENTS + event: payload},
            }
        )

    def accept(
        self, submission_id: str, fit_case_id: str, authentication_tags: dict[str, Any]
    ) -> None:
        self.client.post_event(
            fit_case_id,
            self._event(
                submission_id,
                fit_case_id,
                "accept-submission",
                {"authenticationTags": authentication_tags},
            ),
        )

    def reject(
        self, submission_id: str, fit_case_id: str, problems: list[tuple[Problem, str, str]]
    ) -> None:
        payload = {
            "problems": [
                {
                    "type": self.problem_types[problem],
                    "title": problem.value,
                    "detail": detail,
                    "instance": instance,
                }
                for problem, detail, instance in problems
            ]
        }
        self.client.post_event(
            fit_case_id, self._event(submission_id, fit_case_id, "reject-submission", payload)
        )


def load_private_key(path: str, password: str | None) -> jwk.JWK:
    """A private key from a PEM or PKCS#12 file; the password comes from the keyring."""
    data = Path(path).read_bytes()
    secret = password.encode() if password else None
    if path.lower().endswith((".p12", ".pfx")):
        from cryptography.hazmat.primitives.serialization import pkcs12

        key, _certificate, _chain = pkcs12.load_key_and_certificates(data, secret)
        if key is None:
            raise ValueError(f"{path}: no private key in the PKCS#12 file")
        return jwk.JWK.from_pyca(key)
    return jwk.JWK.from_pem(data, password=secret)
