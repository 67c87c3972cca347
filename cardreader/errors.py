"""What can go wrong between the reader and the card, as one hierarchy: the window and the
command line say each in words, and every one of them leaves the case untouched."""

from __future__ import annotations


class CardError(Exception):
    """Anything that ended a conversation with the card; retrying means starting over."""


class NoService(CardError):
    """The PC/SC service is not running (pcscd, or Windows' "Smart Card" service)."""


class NoReader(CardError):
    """No card reader is attached (or the named one is not)."""


class NoCard(CardError):
    """The reader holds no card."""


class CardRemoved(CardError):
    """The card was taken out while it was being read."""


class CardReset(CardError):
    """Another program reset the card: its secure channel is gone."""


class SharingViolation(CardError):
    """Another program holds the card exclusively."""


class CardMute(CardError):
    """The card did not answer in time (the watchdog gave up on it)."""


class UnknownCard(CardError):
    """A card that announces no PACE we speak (not an ID card, residence permit or passport,
    or one whose parameters this version does not support)."""


class CardProtocolError(CardError):
    """The card answered something the protocol does not allow: garbage, a wrong MAC under
    secure messaging, a wrong authentication token."""


class PasswordRejected(CardError):
    """The chip refused the password (CAN, PIN, PUK or MRZ data). `retries`: what the chip
    says is left, where it says so (a PIN's counter; a CAN has none)."""

    def __init__(self, status: int, retries: int | None = None) -> None:
        super().__init__(f"password rejected by the chip (SW {status:04X})")
        self.status = status
        self.retries = retries


class PasswordSuspended(PasswordRejected):
    """One PIN try left: the chip wants PACE with the CAN first (TR-03110, 63C1)."""


class PasswordBlocked(PasswordRejected):
    """No PIN tries left: only the PUK unblocks it (63C0)."""
