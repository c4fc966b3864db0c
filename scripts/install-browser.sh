#!/usr/bin/env bash
# Installs the one system package claimgraph's browser tests and screenshot script need:
# Debian's Chromium (driven by Playwright from Python with executable_path=/usr/bin/chromium,
# so Playwright never downloads a browser of its own). Idempotent: does nothing when
# /usr/bin/chromium is already there. Uses sudo only when not running as root.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: apt-get not found; install Chromium so that /usr/bin/chromium exists" \
       "(the browser tests skip without it)" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "error: not root and no sudo: run 'apt-get install -y chromium chromium-driver' as root" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
/usr/bin/chromium --version || true
