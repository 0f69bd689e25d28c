#!/usr/bin/env bash
# Installs Debian's chromium for the browser test of report.html (tests/LeapSim.Tests/Report/ReportBrowserTests.cs).
# Idempotent: does nothing when /usr/bin/chromium exists. The install is tried twice because apt can fail part-way
# ("cannot access archive": its download folder vanished); a plain second attempt succeeds.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
if ! $SUDO apt-get install -y chromium; then
  echo "apt-get install chromium failed; trying once more" >&2
  $SUDO apt-get install -y chromium
fi
test -x /usr/bin/chromium
echo "installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
