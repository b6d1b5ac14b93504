"""Read an input file as UTF-8 text, or stop the build with a message a person can act on.

Every input (the platform text, curated Turtle, the ontology, the shapes) is a text file kept by
hand; the mistakes that happen to such files are a wrong path, an empty file and a file saved in
another encoding. Each is reported here with the file, the line and column of the first bad byte,
and what to do, instead of a decoder's traceback or a parser's guess further on.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import BuildError


def read_text(path: Path, what: str, *, missing: str) -> tuple[str, bytes]:
    """The file's text and its raw bytes (for a checksum).

    ``what`` names the file in messages ("the source document"); ``missing`` says what to do
    when it does not exist.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"{what} does not exist. {missing}", path=path) from None
    except OSError as exc:
        raise BuildError(f"{what} cannot be read ({exc.strerror}).", path=path) from None
    if not raw.strip():
        raise BuildError(
            f"the file is empty ({len(raw)} bytes), but {what} should be here. Restore it "
            "(from git or a fresh copy) and build again.",
            path=path,
        )
    return decode_utf8(raw, path, what), raw


def decode_utf8(raw: bytes, path: Path, what: str) -> str:
    """``raw`` as text; a byte that is not UTF-8 is reported by line, column and byte offset."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        raise BuildError(
            f"{what} is not valid UTF-8: byte 0x{raw[exc.start]:02x} at column {column} "
            f"(byte offset {exc.start}). Save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`.",
            path=path,
            line=raw.count(b"\n", 0, exc.start) + 1,
        ) from None
