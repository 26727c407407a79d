#!/usr/bin/env bash
# Install Debian's chromium for the Playwright browser tests (tests/test_browser.py).
# Idempotent: does nothing when /usr/bin/chromium is already there.  Playwright's
# own `playwright install` downloads a browser build and fails offline, so the
# tests drive this system chromium through executable_path instead.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-core fonts-dejavu-core
echo "installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
