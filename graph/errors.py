"""The one error type the build shows to a person.

Every stage raises :class:`BuildError` for bad input, with a message that names the
file (and line, where there is one) and says what to do. ``build.py`` prints the
message and exits non-zero; nothing else ever reaches the user as a traceback.
"""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """Bad input or a failed gate, explained in one paragraph."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple:
        """Pickled as its finished message, so a stage run in another process (graph/forked.py)
        raises it in the build exactly as written."""
        return (_restored, (str(self), self.path, self.line))


def _restored(text: str, path: Path | str | None, line: int | None) -> BuildError:
    error = BuildError.__new__(BuildError)
    Exception.__init__(error, text)
    error.path, error.line = path, line
    return error
