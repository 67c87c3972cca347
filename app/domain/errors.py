"""Errors the domain and the services raise; each carries a message key and its parameters."""

from app.domain.messages import render


class Reasons(tuple[str, ...]):
    """A parameter that is itself messages (their keys): rendered in the reader's language
    too, joined by commas, so a refusal with reasons reads in one language."""


def _rendered(language: str, params: dict[str, object]) -> dict[str, object]:
    return {
        name: ", ".join(render(key, language) for key in value)
        if isinstance(value, Reasons)
        else value
        for name, value in params.items()
    }


class Explained(Exception):
    """An error whose message is for a person: a message key and its parameters, rendered in
    the reader's language by `text(language)` (str() is the English text, for logs)."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(render(key, "en", **_rendered("en", params)))

    def text(self, language: str = "de") -> str:
        return render(self.key, language, **_rendered(language, self.params))


class DomainError(Explained):
    """A rule refused an action; `text(language)` says which and why, for a person."""


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


class DatabaseUnavailable(Explained):
    """The database cannot be reached or is locked; the message is for a person."""


class DatabaseRefused(DatabaseUnavailable):
    """The server answers but refuses the work (the user's rights, a read-only server): said
    in one line and, like an outage, tried again later (the rights may be fixed)."""


class DatabaseUrlInvalid(Explained):
    """The database_url setting cannot be a database address; the message says why (never
    the URL itself, which may carry a password)."""


class SchemaMismatch(Explained):
    """The database schema is not the one this version of the application expects."""

    def __init__(self, key: str, *, database: str | None, application: str) -> None:
        super().__init__(key, database=database or "", application=application)
        self.database_revision = database
        self.application_revision = application

    def __str__(self) -> str:  # the command line is read by IT: German, as before
        return self.text("de")
