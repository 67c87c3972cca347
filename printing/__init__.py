"""Document templates, the seal and printer output (issue: sealed and signed originals)."""
