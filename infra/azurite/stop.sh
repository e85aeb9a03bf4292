#!/usr/bin/env bash
# Stops the Azurite that start.sh started, by the PID in its data folder (AZURITE_DATA, default
# <repo>/.data/azurite). Touches no other process.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${AZURITE_DATA:-$root/.data/azurite}"
pid_file="$data/azurite-table.pid"

if [ ! -f "$pid_file" ]; then
  echo "No Azurite PID file at $pid_file; nothing to stop." >&2
  exit 0
fi

pid="$(cat "$pid_file")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Azurite (PID $pid) ignored SIGTERM for 10 s; killing it." >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
  echo "Stopped Azurite (PID $pid)." >&2
fi
rm -f "$pid_file"
