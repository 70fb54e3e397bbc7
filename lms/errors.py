"""Domain exceptions raised by services; views map them to a field error, a 403 or a 404."""


class DomainError(Exception):
    """A rule said no. The message is safe to show to the person who asked."""


class NotAllowed(DomainError):
    """The actor may not do this (maps to 403)."""


class NotFound(DomainError):
    """No such record, or not one the actor may see (maps to 404)."""


class InvalidInput(DomainError):
    """A value broke a rule only the service can check; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
