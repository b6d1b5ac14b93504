#!/usr/bin/env bash
# System packages the test suite drives (browser tests, remote-store tests).
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
need=()
# (packages are appended here by the features that need them)
# viewer browser tests (tests/test_browser.py): Playwright from PyPI drives Debian's Chromium in its
# headless-shell build (the same engine without the browser's UI layers: a third less CPU per page)
command -v chromium-headless-shell >/dev/null 2>&1 || need+=(chromium-headless-shell)
# remote-store tests (tests/test_remote_virtuoso.py): Debian's Virtuoso, started on loopback by a fixture
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-deps: need root to install: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
