"""FIT-Connect Submission API v1: the subscriber side (client, decryption, checks, events)."""

LEIKA_PREFIX = "urn:de:fim:leika:leistung:"
SCHEMA_PREFIX = "urn:de:siegen:buergerbuero:schema:"
EVENTS = "https://schema.fitko.de/fit-connect/events/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"


def schema_uri(service_id: str) -> str:
    """The URI of the form-data schema we publish for a service."""
    return f"{SCHEMA_PREFIX}{service_id}:1.0"
