import type { Reporter, TestModule } from 'vitest/node';

const DATABASES = [
  ['sqlite', 'SQLite'],
  ['postgresql', 'PostgreSQL'],
] as const;

/**
 * Prints, after every run, how many database tests ran and passed on each database. Database
 * suites are named `... on sqlite` / `... on postgresql` (`describe.each(PROVIDERS)`), so a log
 * shows at a glance that both databases were exercised, not only that the run was green.
 */
export default class DatabaseSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, { passed: number; failed: number }>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const database = DATABASES.find(([key]) => test.fullName.includes(` on ${key}`));
        if (!database) continue;
        const state = test.result().state;
        if (state !== 'passed' && state !== 'failed') continue;
        const count = counts.get(database[1]) ?? { passed: 0, failed: 0 };
        count[state] += 1;
        counts.set(database[1], count);
      }
    }
    if (counts.size === 0) return;
    const line = DATABASES.map(([, label]) => {
      const count = counts.get(label) ?? { passed: 0, failed: 0 };
      return `${label} ${count.passed} passed${count.failed ? `, ${count.failed} failed` : ''}`;
    }).join(' · ');
    console.log(`\n Database tests: ${line}`);
  }
}
