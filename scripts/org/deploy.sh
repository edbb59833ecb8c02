#!/usr/bin/env bash
# Deploys force-app to the scratch org (PRYZM_ORG_ALIAS, default pryzm-scratch).
source "$(dirname "$0")/lib.sh"
require_scratch_org

"$SF" project deploy start --source-dir force-app --target-org "$ORG_ALIAS" --wait 30
