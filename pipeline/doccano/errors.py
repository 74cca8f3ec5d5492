"""The errors of the doccano round trip. Messages never contain a password."""
from ..errors import ArchivalError


class DoccanoError(ArchivalError):
    """doccano answered, but not in a way we can use (import errors, dropped spans, ...)."""


class DoccanoUnavailable(DoccanoError):
    """The doccano server cannot be reached (down, wrong URL, timeouts after retries)."""


class DoccanoAuthError(DoccanoError):
    """doccano rejected the credentials, or none were given."""


class ServerError(ArchivalError):
    """The local doccano server cannot be installed, started, stopped or inspected."""


class ExportError(DoccanoError):
    """Predictions cannot be exported as given, or doccano did not keep what was sent."""
