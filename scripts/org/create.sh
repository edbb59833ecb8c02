#!/usr/bin/env bash
# Creates a scratch org from config/, deploys the package, assigns the Pryzm permission sets to the
# admin and imports sample accounts, contacts and opportunities.
source "$(dirname "$0")/lib.sh"
# The scratch org gets the pryzm namespace, which must be linked to the Dev Hub; set
# PRYZM_NO_NAMESPACE=1 to create one without it (custom names then carry no pryzm__ prefix).
require_dev_hub

# macOS ships bash 3.2, where "${array[@]}" of an empty array fails under set -u: the
# ${array[@]+...} form expands to nothing instead.
namespace_flag=()
if [ "${PRYZM_NO_NAMESPACE:-}" = "1" ]; then namespace_flag=(--no-namespace); fi
"$SF" org create scratch \
  --definition-file config/project-scratch-def.json \
  --target-dev-hub "$DEV_HUB" \
  --alias "$ORG_ALIAS" \
  --set-default \
  --duration-days "${PRYZM_SCRATCH_DAYS:-7}" \
  ${namespace_flag[@]+"${namespace_flag[@]}"} \
  --wait 20
"$SF" project deploy start --source-dir force-app --target-org "$ORG_ALIAS" --wait 30
"$SF" org assign permset --name Pryzm_Admin --name Pryzm_User --target-org "$ORG_ALIAS"
"$SF" data import tree --plan scripts/org/data/sample-data-plan.json --target-org "$ORG_ALIAS"
echo "Scratch org '$ORG_ALIAS' is ready: run 'npm run org:open' to see the Pryzm Setup page."
