#!/usr/bin/env bash
# Runs every test (unit, conformance, interop, browser) after installing what they need.
# Results are written as TRX to TestResults/ (read by .ci/run). Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
rm -rf TestResults
dotnet test WsGame.sln --configuration Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory TestResults "$@"
