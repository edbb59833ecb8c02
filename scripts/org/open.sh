#!/usr/bin/env bash
# Opens the scratch org on the Pryzm Setup page.
source "$(dirname "$0")/lib.sh"
require_scratch_org

"$SF" org open --target-org "$ORG_ALIAS" --path "/lightning/n/pryzm__Pryzm_Setup"
