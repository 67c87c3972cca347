"""Errors the domain and the services raise; each carries a message key and its parameters."""

from app.domain.messages import render


class DomainError(Exception):
    """A rule refused an action; `text(language)` says which and why, for a person."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(render(key, "en", **params))

    def text(self, language: str = "de") -> str:
        return render(self.key, language, **self.params)


class TransitionRefused(DomainError):
    """A case transition whose preconditions do not hold."""


class PermissionDenied(DomainError):
    """The acting user's role does not allow the action."""


class ConcurrentChange(DomainError):
    """Somebody else changed the case first; the caller should reload."""


class NotFound(DomainError):
    """The requested object does not exist."""


class CatalogueError(DomainError):
    """The service catalogue file is invalid."""
