"""Use cases: synchronous, given their ports."""
