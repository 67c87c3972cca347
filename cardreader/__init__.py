"""PC/SC card reader access for German eID and eMRTD (issue: identity verification)."""
