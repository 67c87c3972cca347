"""Pure domain: services, cases, users. Standard library only."""
