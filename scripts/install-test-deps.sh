#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine with the .NET 10 SDK:
# Debian packages for the independent WebSocket clients, the browser, the C benchmark tools, PostgreSQL and
# Redis (the tests start and stop throwaway servers of their own on loopback ports), and the npm
# packages of the Node client. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(python3-websockets chromium gcc libc6-dev postgresql redis-server)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "Installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for dir in WsGame.Api.Tests/Clients/node; do
  if [ -f "$dir/package.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
