#!/usr/bin/env bash
# Shared helpers for the org scripts: find the sf CLI, keep it quiet and offline-friendly, and stop
# with one clear line when the Dev Hub or scratch org these scripts need is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SF="$ROOT/node_modules/.bin/sf"
ORG_ALIAS="${PRYZM_ORG_ALIAS:-pryzm-scratch}"
export SF_DISABLE_TELEMETRY=true SF_DISABLE_AUTOUPDATE=true SF_SKIP_NEW_VERSION_CHECK=true
cd "$ROOT"

die() {
  echo "$*" >&2
  exit 1
}

[ -x "$SF" ] || die "The Salesforce CLI is missing: run 'npm install' in the repository root first."

# Reads one field of an sf --json answer; prints nothing when it is absent.
json_field() {
  node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => {
      try {
        let value = JSON.parse(text);
        for (const key of process.argv[1].split(".")) value = value == null ? undefined : value[key];
        if (value !== undefined && value !== null) process.stdout.write(String(value));
      } catch {}
    });' "$1"
}

# sf keeps every org authorization under ~/.sfdx or ~/.sf; without them nothing is authenticated,
# and the scripts can say so without starting the CLI.
has_any_auth() {
  [ -d "$HOME/.sfdx" ] || [ -d "$HOME/.sf" ]
}

require_dev_hub() {
  local hub
  has_any_auth || die "No Dev Hub is set: run 'sf org login web --set-default-dev-hub --alias pryzm-devhub' with a Dev Hub-enabled org, then rerun."
  hub="$("$SF" config get target-dev-hub --json 2>/dev/null | json_field result.0.value || true)"
  [ -n "$hub" ] || die "No Dev Hub is set: run 'sf org login web --set-default-dev-hub --alias pryzm-devhub' with a Dev Hub-enabled org, then rerun."
  "$SF" org display --target-org "$hub" --json >/dev/null 2>&1 ||
    die "The Dev Hub '$hub' is not authenticated or not reachable: run 'sf org login web --set-default-dev-hub --alias $hub', then rerun."
  DEV_HUB="$hub"
}

require_scratch_org() {
  has_any_auth || die "No authenticated scratch org '$ORG_ALIAS': run 'npm run org:create' (needs an authenticated Dev Hub: sf org login web --set-default-dev-hub)."
  "$SF" org display --target-org "$ORG_ALIAS" --json >/dev/null 2>&1 ||
    die "No authenticated scratch org '$ORG_ALIAS': run 'npm run org:create' (needs an authenticated Dev Hub: sf org login web --set-default-dev-hub)."
}
