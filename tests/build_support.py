"""Running ``build.py``'s main in the test process, as the command line runs it (test_build.py,
test_status_input.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import build as cli


def run_cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    """``build.py ARGS`` in this process: its exit status (argparse's usage errors included) and stderr."""
    try:
        code = cli.main(args)
    except SystemExit as exit_:  # argparse ends a usage error with status 2
        code = exit_.code
    return code, capsys.readouterr().err


def previous_dist(tmp_path: Path) -> Path:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "graph.ttl").write_text("# the previous build\n", encoding="utf-8")
    return out


def fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """Build with ``args`` over a previous dist/: exit 2, no traceback, that dist/ byte for byte,
    no staging folder left; returns what the user read on stderr."""
    out = previous_dist(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, err = run_cli(capsys, [*args, "--dist", str(out)])
    assert code == 2, err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".dist-*"))
    return err
