"""FIT-Connect Submission API v1: the subscriber side (client, decryption, checks, events)."""

LEIKA_PREFIX = "urn:de:fim:leika:leistung:"
SCHEMA_PREFIX = "urn:de:siegen:buergerbuero:schema:"
EVENTS = "https://schema.fitko.de/fit-connect/events/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"


def schema_uri(service_id: str) -> str:
    """The URI of the form-data schema we publish for a service."""
    return f"{SCHEMA_PREFIX}{service_id}:1.0"


# A citizen's answer to a question, sent through the portal on the same FIT-Connect case.
REPLY_SCHEMA = f"{SCHEMA_PREFIX}reply:1.0"
REPLY_DATA_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": REPLY_SCHEMA,
    "type": "object",
    "properties": {"message": {"type": "string", "maxLength": 4000}},
    "required": ["message"],
    "additionalProperties": False,
}
