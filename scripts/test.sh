#!/usr/bin/env bash
# Runs every test of AscCollab on a fresh machine: installs what is missing (npm packages of every
# folder with a package-lock.json, Debian's chromium for browser tests), starts one Azurite for
# the whole run, builds in Release, runs `dotnet test AscCollab.sln`, and ends with the line
#   tests: N passed, M failed[, K skipped]
# Exits non-zero when a test failed, the run broke, or no test ran.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "test.sh: '$tool' is missing; this machine needs the .NET SDK and Node.js with npm." >&2; exit 1; }
done

# --- npm packages: every lock file the repository holds (tracked, or new and not ignored) ------
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  locks="$(git ls-files --cached --others --exclude-standard -- '*package-lock.json' | grep -v '/node_modules/' | sort -u || true)"
else
  locks="$(find . -name package-lock.json -not -path '*/node_modules/*' -not -path './.git/*' | sed 's|^\./||' | sort)"
fi
for lock in $locks; do
  dir="$(dirname "$lock")"
  # npm writes node_modules/.package-lock.json on install; newer than the lock file = up to date.
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$lock" ]; then
    continue
  fi
  echo "test.sh: npm ci in $dir" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

# --- chromium for the browser tests (Playwright drives Debian's build; it never downloads one) --
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "test.sh: installing chromium (apt-get)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# --- one Azurite for every test assembly, unless one is given ------------------------------------
cleanup() { :; }
if [ -z "${ASCCOLLAB_TEST_STORAGE:-}" ]; then
  AZURITE_DATA="$(mktemp -d -t asccollab-test-azurite-XXXXXX)"
  export AZURITE_DATA
  cleanup() {
    "$root/infra/azurite/stop.sh" || true
    rm -rf "$AZURITE_DATA"
  }
  trap cleanup EXIT
  ASCCOLLAB_TEST_STORAGE="$("$root/infra/azurite/start.sh")"
  export ASCCOLLAB_TEST_STORAGE
fi

# --- build and test ------------------------------------------------------------------------------
results="$root/TestResults"
rm -rf "$results"
dotnet build AscCollab.sln -c Release -nologo

log="$(mktemp -t asccollab-test-XXXXXX.log)"
set +e
dotnet test AscCollab.sln -c Release --no-build -nologo \
  --logger "console;verbosity=minimal" --logger trx --results-directory "$results" \
  --blame-hang-timeout 15m 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 51, Skipped: 0, Total: 51, …"
read -r passed failed skipped < <(
  grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
    | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
    | awk '{ f += $1; p += $2; s += $3 } END { print p + 0, f + 0, s + 0 }'
)
rm -f "$log"
# Stop Azurite now, so that the summary below is the run's last line.
cleanup
trap - EXIT

summary="tests: $passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary="$summary, $skipped skipped"; fi
echo
echo "$summary"

if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
