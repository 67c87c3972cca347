"""A local FIT-Connect Submission API (v1) for the demo and tests: both the sender side a portal
uses and the subscriber side we use, with JWE payloads and a signed event log, state on disk."""

EVENTS = "https://schema.fitko.de/fit-connect/events/"
PROBLEMS = "https://schema.fitko.de/fit-connect/submission-api/problems/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"
