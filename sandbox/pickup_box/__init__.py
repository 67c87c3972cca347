"""The emulated Dokumenten-Ausgabebox controllers (docs/pickup-box-api.yaml)."""
