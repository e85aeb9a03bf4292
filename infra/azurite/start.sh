#!/usr/bin/env bash
# Starts Azurite's Table service on 127.0.0.1 and prints its connection string as the last
# line on stdout (progress goes to stderr), so: ASCCOLLAB_STORAGE="$(infra/azurite/start.sh)".
#   AZURITE_TABLE_PORT  port to listen on (default: a free one)
#   AZURITE_DATA        data folder (default: <repo>/.data/azurite); the PID file and log live there too
# Stop it with infra/azurite/stop.sh (same AZURITE_DATA): it kills exactly the PID written here.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${AZURITE_DATA:-$root/.data/azurite}"
pid_file="$data/azurite-table.pid"
log_file="$data/azurite-table.log"
# The emulator's well-known development key, published by Microsoft; not a secret.
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

if [ ! -x "$here/node_modules/.bin/azurite-table" ]; then
  echo "Installing the pinned Azurite (npm ci in infra/azurite)…" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

mkdir -p "$data"
if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  echo "Azurite already runs with PID $(cat "$pid_file") on $data; stop it first: AZURITE_DATA='$data' $here/stop.sh" >&2
  exit 1
fi

port="${AZURITE_TABLE_PORT:-}"
if [ -z "$port" ]; then
  port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})")"
fi

# --skipApiVersionCheck: the Table SDK we use sends an older API version than Azurite's newest.
# --disableProductStyleUrl: the account always comes from the path (http://127.0.0.1:PORT/devstoreaccount1).
# --disableTelemetry: nothing leaves this machine.
"$here/node_modules/.bin/azurite-table" \
  --tableHost 127.0.0.1 --tablePort "$port" --location "$data" \
  --skipApiVersionCheck --disableProductStyleUrl --disableTelemetry --silent \
  >"$log_file" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pid_file"

for _ in $(seq 1 150); do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pid_file"
    echo "Azurite exited before listening on port $port; its log ($log_file):" >&2
    cat "$log_file" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Azurite Table service (PID $pid) listens on http://127.0.0.1:$port, data in $data" >&2
    echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
    exit 0
  fi
  sleep 0.2
done

echo "Azurite (PID $pid) did not listen on port $port within 30 s; stopping it. Log: $log_file" >&2
kill "$pid" 2>/dev/null || true
rm -f "$pid_file"
exit 1
