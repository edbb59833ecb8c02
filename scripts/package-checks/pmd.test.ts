import { CodeAnalyzer, CodeAnalyzerConfig, SeverityLevel } from '@salesforce/code-analyzer-core';
import type { RunResults, Violation } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sourceRoot } from './package-files.ts';

// PMD's Apex security and best-practice rules through Salesforce Code Analyzer. PMD runs on Java;
// without it the check says so instead of passing silently.
const hasJava = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;
const HIGH = [SeverityLevel.Critical, SeverityLevel.High];

// A class every security rule set must flag: SOQL built from input, DML without access checks.
const INSECURE_SAMPLE = `public without sharing class InsecureSample {
  public static List<Account> find(String name) {
    return Database.query('SELECT Id FROM Account WHERE Name = \\'' + name + '\\'');
  }
  public static void rename(Account record) {
    update record;
  }
}
`;

function describeViolation(violation: Violation): string {
  const location = violation.getPrimaryLocation();
  const severity = SeverityLevel[violation.getRule().getSeverityLevel()];
  return `${severity} ${violation.getRule().getName()} ${basename(location.getFile() ?? '')}:${location.getStartLine()} ${violation.getMessage().trim()}`;
}

describe.runIf(hasJava)('PMD Apex security and best practices', () => {
  let work: string;
  let results: RunResults;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'pryzm-pmd-'));
    const sampleDir = join(work, 'sample');
    mkdirSync(sampleDir);
    writeFileSync(join(sampleDir, 'InsecureSample.cls'), INSECURE_SAMPLE);
    const config = CodeAnalyzerConfig.fromObject(
      {
        log_folder: work,
        root_working_folder: work,
        engines: { cpd: { disable_engine: true } },
      },
      repoRoot,
    );
    const analyzer = new CodeAnalyzer(config);
    await analyzer.addEnginePlugin(createEnginePlugin());
    const workspace = await analyzer.createWorkspace([join(sourceRoot, 'classes'), sampleDir]);
    const rules = await analyzer.selectRules(['pmd:Security:Apex', 'pmd:BestPractices:Apex'], {
      workspace,
    });
    results = await analyzer.run(rules, { workspace });
  }, 240_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const packageViolations = () =>
    results
      .getViolations()
      .filter((violation) => !violation.getPrimaryLocation().getFile()?.includes('InsecureSample'));

  it('reports every finding on the package classes and fails on high severity', () => {
    const report = packageViolations().map(describeViolation);
    console.log(`PMD on force-app classes: ${report.length} finding(s)\n${report.join('\n')}`);
    const high = packageViolations().filter((violation) =>
      HIGH.includes(violation.getRule().getSeverityLevel()),
    );
    expect(high.map(describeViolation)).toEqual([]);
  });

  it('flags SOQL injection and unchecked DML in an insecure class', () => {
    const sample = results
      .getViolations()
      .filter((violation) => violation.getPrimaryLocation().getFile()?.includes('InsecureSample'))
      .filter((violation) => HIGH.includes(violation.getRule().getSeverityLevel()))
      .map((violation) => violation.getRule().getName());
    expect(sample).toContain('ApexSOQLInjection');
    expect(sample).toContain('ApexCRUDViolation');
  });
});

describe.runIf(!hasJava)('PMD Apex rules without Java', () => {
  it('says why PMD did not run', () => {
    console.warn('PMD Apex rules not run: Java is not installed (PMD needs Java 11 or later).');
    expect(hasJava).toBe(false);
  });
});
