"""A local FIT-Connect Submission API (v1) for the demo and tests: both the sender side a portal
uses and the subscriber side we use, with JWE payloads and a signed event log, state on disk."""

import json
from functools import cache
from importlib import resources

import jsonschema

EVENTS = "https://schema.fitko.de/fit-connect/events/"
PROBLEMS = "https://schema.fitko.de/fit-connect/submission-api/problems/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"


@cache
def set_payload_validator() -> jsonschema.Draft202012Validator:
    """SET claims as the reference documents them (set-payload.schema.json says why not the
    published file)."""
    text = resources.files(__name__).joinpath("set-payload.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))
