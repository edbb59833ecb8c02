#!/usr/bin/env bash
# Opens the scratch org on the Pryzm Setup page.
source "$(dirname "$0")/lib.sh"
require_scratch_org

# The tab's API name carries the org's namespace (none when created with PRYZM_NO_NAMESPACE=1).
namespace="$("$SF" data query --query "SELECT NamespacePrefix FROM Organization" \
  --target-org "$ORG_ALIAS" --json 2>/dev/null | json_field result.records.0.NamespacePrefix || true)"
"$SF" org open --target-org "$ORG_ALIAS" --path "/lightning/n/${namespace:+${namespace}__}Pryzm_Setup"
