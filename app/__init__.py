"""Bürgerbüro Desk: core (no Qt)."""

import warnings

__version__ = "0.1.0"

# cryptography 51 deprecates DSA and says so when pyHanko 0.38 imports its key types, on every
# command that seals or verifies; nobody at a counter or in IT can act on it (we seal with RSA
# and EC only). Named by text and module, as in pyproject.toml's pytest filters.
warnings.filterwarnings(
    "ignore", message="DSA is deprecated", module="pyhanko.sign.signers.pdf_cms"
)
