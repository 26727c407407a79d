"""Error types shared by the library, the CLI and the REST API.  Each message
says what was wrong and, where it can, how to fix it."""
from __future__ import annotations


class MarsadError(Exception):
    """Base class: the CLI prints the message and exits non-zero; the API
    answers with ``status``."""

    status = 400


class InputError(MarsadError):
    """A record or file that cannot be read as an article."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        where = path or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.reason = message


class NotFound(MarsadError):
    status = 404


class StoreError(MarsadError):
    status = 500


class ConfigError(MarsadError):
    pass
