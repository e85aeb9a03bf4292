#!/usr/bin/env bash
# Runs the AscCollab server on a fresh machine: installs the pinned Azurite if missing, starts it
# (data kept in .data/azurite) unless ASCCOLLAB_STORAGE already names a storage account, and runs
# the server in Development on http://127.0.0.1:${PORT:-5080}. Stops the Azurite it started on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
port="${PORT:-5080}"
url="http://127.0.0.1:$port"

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "run-server.sh: '$tool' is missing; this machine needs the .NET SDK and Node.js with npm." >&2; exit 1; }
done

started_azurite=""
watcher=""
cleanup() {
  if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null || true; fi
  if [ -n "$started_azurite" ]; then "$root/infra/azurite/stop.sh" || true; fi
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

if [ -z "${ASCCOLLAB_STORAGE:-}" ]; then
  export AZURITE_DATA="${AZURITE_DATA:-$root/.data/azurite}"
  ASCCOLLAB_STORAGE="$("$root/infra/azurite/start.sh")"
  started_azurite=1
fi
export ASCCOLLAB_STORAGE

# Announce the URL once the server answers; the first build may take a minute.
(
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "AscCollab is up: $url  (health: $url/health; Ctrl+C stops it)" >&2
      exit 0
    fi
    sleep 0.5
  done
) &
watcher=$!

echo "Starting AscCollab on $url …" >&2
# In the foreground, so Ctrl+C reaches the server itself; the EXIT trap then stops Azurite.
ASPNETCORE_ENVIRONMENT=Development dotnet run --project src/AscCollab.Server -- --urls "$url"
