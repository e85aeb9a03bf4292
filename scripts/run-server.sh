#!/usr/bin/env bash
# Runs one AscCollab node (ASP.NET Core host + Orleans silo) in Development on a fresh machine.
#
#   ./scripts/run-server.sh            node 1: http://127.0.0.1:5080, silo port 11111, gateway port 30000
#   NODE=2 ./scripts/run-server.sh     node 2: http://127.0.0.1:5081, silo port 11112, gateway port 30001
#                                      (node N: 5080+N-1, 11111+N-1, 30000+N-1), same storage, same cluster
#   PORT, SILO_PORT, GATEWAY_PORT      override the node's ports
#   ASCCOLLAB_STORAGE                  an Azure Storage connection string; when unset, the nodes share one
#                                      Azurite with its data in .data/azurite (AZURITE_DATA), started by
#                                      the first node and stopped when the last node using it stops
#   ASCCOLLAB_DATA                     the folder of .data: the build and server logs, and Azurite's data
#                                      unless AZURITE_DATA says otherwise (default: .data in the clone), and the
#                                      Development audit key in .data/keys (beside Azurite's data, never in it;
#                                      AscCollab__Keys__Folder overrides), shared by the nodes
#   STARTUP_TIMEOUT                    seconds to wait for GET /health -> 200 once built (default 180)
#
# Builds the server, checks its ports are free, starts it in the background (its output goes to
# .data/server-PORT.log, and to this terminal once it is up), waits for GET /health -> 200 and only
# then prints the URL. When it cannot start, it says why in one line and exits 1. SIGINT or SIGTERM
# to this script (Ctrl+C, a supervisor's stop) stops the server, then the Azurite if no other node
# uses it. It ends only processes it started, by PID.
set -euo pipefail

# Started with `&` by a non-interactive shell, this script inherits SIGINT ignored, and bash cannot
# trap a signal ignored on entry: start again with SIGINT and SIGTERM at their defaults, so that the
# traps below take them.
if [ -z "${RUN_SERVER_SIGNALS_RESET:-}" ] && [ -r "/proc/$$/status" ]; then
  ignored="$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$$/status")"
  if [ -n "$ignored" ] && (( (16#$ignored >> 1 & 1) || (16#$ignored >> 14 & 1) )) \
    && env --default-signal=INT,TERM true 2>/dev/null; then
    RUN_SERVER_SIGNALS_RESET=1 exec env --default-signal=INT,TERM "$BASH" "${BASH_SOURCE[0]}" "$@"
  fi
fi
unset RUN_SERVER_SIGNALS_RESET

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${ASCCOLLAB_DATA:-$root/.data}"

say() { echo "run-server.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# --- which node, which ports ---------------------------------------------------------------------
node="${NODE:-1}"
[[ "$node" =~ ^[1-9][0-9]{0,2}$ ]] || die "NODE must be a node number (1, 2, 3, …), not '$node'"
port="${PORT:-$((5080 + node - 1))}"
silo_port="${SILO_PORT:-${Cluster__SiloPort:-$((11111 + node - 1))}}"
gateway_port="${GATEWAY_PORT:-${Cluster__GatewayPort:-$((30000 + node - 1))}}"
for pair in "PORT=$port" "SILO_PORT=$silo_port" "GATEWAY_PORT=$gateway_port"; do
  value="${pair#*=}"
  if ! [[ "$value" =~ ^[0-9]{1,5}$ ]] || [ "$value" -lt 1 ] || [ "$value" -gt 65535 ]; then
    die "${pair%%=*} must be a port number (1-65535), not '$value'"
  fi
done
if [ "$port" = "$silo_port" ] || [ "$port" = "$gateway_port" ] || [ "$silo_port" = "$gateway_port" ]; then
  die "the HTTP port ($port), silo port ($silo_port) and gateway port ($gateway_port) must differ"
fi
url="http://127.0.0.1:$port"
startup_timeout="${STARTUP_TIMEOUT:-180}"
[[ "$startup_timeout" =~ ^[1-9][0-9]*$ ]] || die "STARTUP_TIMEOUT must be a number of seconds, not '$startup_timeout'"

command -v dotnet >/dev/null || die "'dotnet' is missing; this machine needs the .NET 10 SDK."

# Something already answers on 127.0.0.1:PORT (a listener on 0.0.0.0 answers there too).
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
answers "$port" && die "port $port is already in use; set PORT=… to use another"
answers "$silo_port" && die "silo port $silo_port is already in use; set SILO_PORT=… to use another"
answers "$gateway_port" && die "gateway port $gateway_port is already in use; set GATEWAY_PORT=… to use another"

# --- cleanup: whatever this script started, in reverse order --------------------------------------
build_pid=""
server_pid=""
follow_pid=""
sharing_azurite=""
stop_child() { # PID, what, seconds before SIGKILL
  local pid="$1" what="$2" patience="$3" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < patience * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$what (PID $pid) did not stop within $patience s of SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
# While waiting for the server, stderr goes nowhere: bash reports a background job that died of a
# signal ("line N: PID Aborted …") on stderr, and the one line explaining it is ours to write.
hushed=""
hush() { exec 7>&2 2>/dev/null; hushed=1; }
unhush() { if [ -n "$hushed" ]; then exec 2>&7 7>&-; hushed=""; fi; }
cleanup() {
  # A second Ctrl+C must not cut the stop short (a stuck server is killed after 30 s anyway).
  trap - EXIT
  trap '' HUP INT TERM
  unhush
  if [ -n "$build_pid" ]; then stop_child "$build_pid" "the build" 10; build_pid=""; fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    say "stopping the server (PID $server_pid)…"
    stop_child "$server_pid" "the server" 30
    say "the server stopped."
  fi
  server_pid=""
  if [ -n "$follow_pid" ]; then kill "$follow_pid" 2>/dev/null || true; wait "$follow_pid" 2>/dev/null || true; follow_pid=""; fi
  if [ -n "$sharing_azurite" ]; then release_azurite; fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# --- storage: one Azurite in $data/azurite, shared by the nodes of this clone ---------------------
# Each node registers its script PID in $AZURITE_DATA/run-server.nodes/; the first one starts
# Azurite (infra/azurite/start.sh) and writes its connection string next to start.sh's PID file;
# the last one to stop stops it (infra/azurite/stop.sh). A flock serialises the two steps.
lock_azurite() {
  if command -v flock >/dev/null; then
    exec 9>"$AZURITE_DATA/run-server.lock"
    flock 9
  fi
}
unlock_azurite() { exec 9>&-; }
# The PIDs of running scripts registered as users of this Azurite (stale entries are removed).
azurite_users() {
  local entry pid
  for entry in "$AZURITE_DATA/run-server.nodes"/*; do
    [ -e "$entry" ] || continue
    pid="${entry##*/}"
    if [ "$pid" != "$$" ] && kill -0 "$pid" 2>/dev/null \
      && { [ ! -r "/proc/$pid/cmdline" ] || [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *run-server.sh* ]]; }; then
      echo "$pid"
    elif [ "$pid" != "$$" ]; then
      rm -f "$entry"
    fi
  done
}
describe_users() { # "node 1 (PID 123), node 2 (PID 456)"
  local pid out=""
  for pid in "$@"; do
    out="$out${out:+, }node $(cut -d' ' -f1 "$AZURITE_DATA/run-server.nodes/$pid" 2>/dev/null || echo '?') (PID $pid)"
  done
  echo "$out"
}
acquire_azurite() {
  local pid_file="$AZURITE_DATA/azurite-table.pid" conn_file="$AZURITE_DATA/run-server.connection" azurite_pid users
  mkdir -p "$AZURITE_DATA/run-server.nodes"
  lock_azurite
  if [ -f "$pid_file" ] && azurite_pid="$(cat "$pid_file")" && kill -0 "$azurite_pid" 2>/dev/null; then
    if [ ! -s "$conn_file" ]; then
      unlock_azurite
      die "an Azurite that run-server.sh did not start runs on $AZURITE_DATA (PID $azurite_pid); stop it (AZURITE_DATA='$AZURITE_DATA' infra/azurite/stop.sh) or set ASCCOLLAB_STORAGE to its connection string"
    fi
    ASCCOLLAB_STORAGE="$(cat "$conn_file")"
    mapfile -t users < <(azurite_users)
    if [ "${#users[@]}" -gt 0 ]; then
      say "sharing the Azurite (PID $azurite_pid) of $(describe_users "${users[@]}")"
    else
      say "reusing the Azurite (PID $azurite_pid) left running by an earlier run"
    fi
  else
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
      unlock_azurite
      die "'node' or 'npm' is missing; Azurite needs Node.js with npm (or set ASCCOLLAB_STORAGE)."
    fi
    rm -f "$conn_file"
    # 9>&- : Azurite must not inherit (and so hold) the lock. In a session of its own, a Ctrl+C in
    # this terminal does not reach the Azurite that other nodes may go on using.
    local detach=()
    if command -v setsid >/dev/null; then detach=(setsid -w); fi
    if ! ASCCOLLAB_STORAGE="$("${detach[@]}" "$root/infra/azurite/start.sh" 9>&-)"; then
      unlock_azurite
      die "Azurite did not start (its reason is above)"
    fi
    (umask 077 && echo "$ASCCOLLAB_STORAGE" >"$conn_file")
  fi
  echo "$node $port" >"$AZURITE_DATA/run-server.nodes/$$"
  sharing_azurite=1
  unlock_azurite
}
release_azurite() {
  local users
  sharing_azurite=""
  lock_azurite
  rm -f "$AZURITE_DATA/run-server.nodes/$$"
  mapfile -t users < <(azurite_users)
  if [ "${#users[@]}" -gt 0 ]; then
    say "Azurite keeps running for $(describe_users "${users[@]}")."
  else
    "$root/infra/azurite/stop.sh" 9>&- || true
    rm -f "$AZURITE_DATA/run-server.connection"
  fi
  unlock_azurite
}

if [ -z "${ASCCOLLAB_STORAGE:-}" ]; then
  export AZURITE_DATA="${AZURITE_DATA:-$data/azurite}"
  acquire_azurite
fi
export ASCCOLLAB_STORAGE

# --- build, in the background so that a signal is handled at once ---------------------------------
# A running node keeps its assemblies mapped: rebuilding under it could crash it (and would mix
# builds in one cluster), so a node started next to a running one runs the same build.
mkdir -p "$data"
server_dll="$root/src/AscCollab.Server/bin/Debug/net10.0/AscCollab.Server.dll"
if [ -f "$server_dll" ] && command -v pgrep >/dev/null && pgrep -f -- "dotnet $server_dll" >/dev/null; then
  echo "Not rebuilding: a running node uses $server_dll (stop every node to rebuild)." >&2
else
  build_log="$data/build-$port.log"
  echo "Building AscCollab.Server (the first build takes a minute or two)…" >&2
  dotnet build src/AscCollab.Server -nologo -v quiet >"$build_log" 2>&1 </dev/null &
  build_pid=$!
  build_status=0
  wait "$build_pid" || build_status=$?
  build_pid=""
  if [ "$build_status" -ne 0 ]; then
    { grep -E ': error ' "$build_log" | sort -u | head -n 20; } >&2 || true
    die "the build failed (exit code $build_status; its errors are above, all its output is in $build_log)"
  fi
fi
[ -f "$server_dll" ] || die "the build left no $server_dll"

# --- start the built server itself (not `dotnet run`, a launcher): the PID held here is the server
log="$data/server-$port.log"
: >"$log"
echo "Starting AscCollab node $node on $url (silo port $silo_port, gateway port $gateway_port)…" >&2
started_at="$EPOCHREALTIME"
# The project folder is the content root (appsettings.json, wwwroot), as in `dotnet run` from there.
(
  cd "$root/src/AscCollab.Server"
  exec env ASPNETCORE_ENVIRONMENT=Development \
    Cluster__SiloPort="$silo_port" Cluster__GatewayPort="$gateway_port" \
    AscCollab__Keys__Folder="${AscCollab__Keys__Folder:-$data/keys}" \
    dotnet "$server_dll" --urls "$url"
) >>"$log" 2>&1 </dev/null &
server_pid=$!

# GET /health -> sets health_code ("000" when nothing answers) and health_body.
if command -v curl >/dev/null; then
  probe_health() {
    local out
    out="$(curl -s --max-time 3 -w '\n%{http_code}' "$url/health" 2>/dev/null)" || true
    health_code="${out##*$'\n'}"
    health_body="${out%$'\n'*}"
    [ -n "$health_code" ] || health_code="000"
  }
else
  probe_health() {
    local line response=""
    health_code="000"
    health_body=""
    { exec 4<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
    printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$port" >&4 2>/dev/null || { exec 4>&-; return 0; }
    while IFS= read -r -t 3 line <&4; do response+="$line"$'\n'; done
    response+="$line"
    exec 4>&-
    line="${response%%$'\n'*}"
    [[ "$line" =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] && health_code="${BASH_REMATCH[1]}"
    health_body="${response#*$'\r\n\r\n'}"
  }
fi

# One line saying why the server stopped before it was healthy. The server itself prints one
# ("AscCollab could not start: …", naming the setting); a port taken since the check above is
# named by probing which of this node's ports now answers.
clean_line() { sed -E 's/^[[:space:]]+//; s/^Unhandled exception\. //' | cut -c1-400; }
last_line() { { grep -E "$1" "$log" || true; } | { grep -vE '^[[:space:]]+at ' || true; } | tail -n 1 | clean_line; }
explain_exit() {
  local status="$1" line
  if grep -qiE 'address already in use|AddressInUse' "$log"; then
    if answers "$port" || grep -qF "bind to address $url:" "$log"; then say "port $port is already in use; set PORT=… to use another"; return; fi
    if answers "$silo_port"; then say "silo port $silo_port is already in use; set SILO_PORT=… to use another"; return; fi
    if answers "$gateway_port"; then say "gateway port $gateway_port is already in use; set GATEWAY_PORT=… to use another"; return; fi
  fi
  line="$(last_line 'AscCollab could not start:')"
  [ -n "$line" ] || line="$(last_line 'ASCCOLLAB_STORAGE')"
  if [ -n "$line" ]; then
    say "$line (exit code $status)"
    return
  fi
  line="$(last_line '^Unhandled exception\.')"
  [ -n "$line" ] || line="$(last_line '^(fail|crit): |Exception|[Ee]rror')"
  say "the server exited (code $status) before it was healthy${line:+: $line} (log: $log)"
}

# --- wait for GET /health -> 200 ------------------------------------------------------------------
health_code="000"
health_body=""
deadline=$((SECONDS + startup_timeout))
hush
while :; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    status=0
    wait "$server_pid" 2>/dev/null || status=$?
    server_pid=""
    unhush
    explain_exit "$status"
    exit 1
  fi
  probe_health
  [ "$health_code" = "200" ] && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    unhush
    if [ "$health_code" = "000" ]; then
      say "the server did not answer GET /health within $startup_timeout s; stopping it (log: $log)"
    else
      say "the server was not healthy within $startup_timeout s (GET /health: $health_code $(tr -d '\r\n' <<<"$health_body" | cut -c1-200)); is ASCCOLLAB_STORAGE reachable? Stopping it (log: $log)"
    fi
    exit 1
  fi
  sleep 0.25
done
unhush
ready_ms=$(( (10#${EPOCHREALTIME//[!0-9]/} - 10#${started_at//[!0-9]/}) / 1000 ))
silos="$(sed -nE 's/.*"silos"[[:space:]]*:[[:space:]]*([0-9]+).*/\1/p' <<<"$health_body")"
echo "AscCollab is up: $url  (node $node; ${silos:-?} silo(s) in the cluster; healthy $((ready_ms / 1000)).$(printf '%02d' $((ready_ms % 1000 / 10))) s after start; Ctrl+C stops it)" >&2
echo "Its output from now on follows (all of it is in $log)." >&2

# From now on the server's output is shown here too (GNU tail also ends by itself with the server).
shown="$(wc -c <"$log")"
tail_pid_option=()
if [[ "$(tail --version 2>/dev/null || true)" == *GNU* ]]; then tail_pid_option=(--pid="$server_pid"); fi
tail -c +$((shown + 1)) -f "${tail_pid_option[@]}" "$log" </dev/null &
follow_pid=$!

status=0
hush
wait "$server_pid" 2>/dev/null || status=$?
server_pid=""
unhush
say "the server exited (code $status)."
exit "$status"
