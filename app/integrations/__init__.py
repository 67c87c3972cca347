"""Adapters to the outside: settings, keyring, (later) FIT-Connect, mail, pickup box."""
