"""Print which module of graph/, store/ and viewer/ imports which, as Markdown (docs/architecture.md).

Uses grimp, the import-graph library that import-linter ships, so the page shows what the code
does, not what someone remembered. Run from the project root (or pass another root):

    .venv/bin/python scripts/import_graph.py [ROOT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

PACKAGES = ("graph", "store", "viewer")


def lines(root: Path) -> list[str]:
    """One Markdown list item per module that imports other project modules (packages collapsed)."""
    sys.path.insert(0, str(root))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    out = []
    for module in sorted(graph.modules):
        targets = sorted(t for t in graph.find_modules_directly_imported_by(module) if t != module)
        if targets and module.split(".")[0] in PACKAGES:
            out.append(f"- `{module}` → " + ", ".join(f"`{t}`" for t in targets))
    return out


if __name__ == "__main__":
    print("\n".join(lines(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())))
