#!/usr/bin/env bash
# Runs the package's Apex tests in the scratch org with code coverage and fails below 90%.
source "$(dirname "$0")/lib.sh"
require_scratch_org

RESULT="$(mktemp)"
trap 'rm -f "$RESULT"' EXIT
status=0
"$SF" apex run test --test-level RunLocalTests --code-coverage --wait 30 \
  --target-org "$ORG_ALIAS" --json >"$RESULT" || status=$?
node -e '
  const result = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).result ?? {};
  const summary = result.summary ?? {};
  console.log(`Apex tests: ${summary.outcome} (${summary.passing ?? 0} passed, ${summary.failing ?? 0} failed)`);
  for (const test of result.tests ?? []) {
    if (test.Outcome !== "Pass") console.log(`  FAIL ${test.FullName}: ${test.Message}`);
  }
  for (const file of result.coverage?.coverage ?? []) console.log(`  ${file.coveredPercent}%  ${file.name}`);
  const coverage = parseInt(summary.orgWideCoverage ?? "0", 10);
  console.log(`Org-wide coverage: ${coverage}%`);
  if (summary.outcome !== "Passed" || coverage < 90) process.exit(1);
' "$RESULT" || status=1
exit "$status"
