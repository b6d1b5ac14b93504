"""The example queries: ``viewer/queries/*.rq``, each opening with comment lines

    # title: All commitments touching a place, including places inside it
    # A description of one or more lines: what it answers, and how to adapt it.

followed by the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class ExampleQuery:
    name: str  # file stem, e.g. "01-commitments-in-place"
    title: str
    description: str
    text: str  # the whole file, comments included (they are valid SPARQL)

    @property
    def kind(self) -> str:
        """"graph" for CONSTRUCT/DESCRIBE, "select" otherwise (ASK too: same result formats)."""
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("#"))
        return "graph" if re.search(r"\b(CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE) else "select"


def load_queries(directory: Path = QUERY_DIR) -> list[ExampleQuery]:
    out = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, desc = path.stem, []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            body = line[1:].strip()
            if body.lower().startswith("title:"):
                title = body[6:].strip()
            elif body:
                desc.append(body)
        out.append(ExampleQuery(path.stem, title, " ".join(desc), text))
    return out
