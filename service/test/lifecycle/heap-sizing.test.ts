import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import {
  BALANCED_HEAP_GROWING_PERCENT,
  BALANCED_SEMI_SPACE_MB,
  heapSizingFlags,
  heapSizingNodeFlags,
} from '../../src/lifecycle/heap-sizing.ts';

const heapSizing = pathToFileURL(
  join(import.meta.dirname, '..', '..', 'src', 'lifecycle', 'heap-sizing.ts'),
).href;

/**
 * Runs a fresh Node process that applies `sizing` the way the service does (after start), then
 * makes V8 run a full collection with `--trace-gc-verbose` (also set at run time) and answers
 * the growing factors V8 printed for the next limit ("Limit: ... (1.3)").
 */
function growingFactorsAfter(sizing: string): string[] {
  const script = `
    import { setFlagsFromString } from 'node:v8';
    import { runInNewContext } from 'node:vm';
    const { applyHeapSizing } = await import(${JSON.stringify(heapSizing)});
    applyHeapSizing(${JSON.stringify(sizing)});
    setFlagsFromString('--trace-gc-verbose');
    setFlagsFromString('--expose-gc');
    const kept = [];
    for (let i = 0; i < 100000; i++) kept.push({ i, text: 'record ' + i });
    runInNewContext('gc')();
  `;
  const child = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  expect(child.status, child.stderr).toBe(0);
  return [...child.stdout.matchAll(/\[HeapController\] Limit: .*\(([\d.]+)\)$/gm)].map(
    (match) => match[1]!,
  );
}

/**
 * The young generation's size (V8's `new_space`: its two semi-spaces) in MB once a fresh Node
 * process started with `flags` made garbage enough for V8 to grow it as far as it goes.
 */
function youngGenerationMbAfterChurn(flags: string[]): number {
  const script = `
    const { getHeapSpaceStatistics } = await import('node:v8');
    let kept = [];
    for (let i = 0; i < 3_000_000; i++) {
      kept.push({ i, text: 'record ' + i });
      if (kept.length > 200_000) kept = [];
    }
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    console.log(young.space_size / 1024 / 1024);
  `;
  const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(child.status, child.stderr).toBe(0);
  return Number(child.stdout.trim());
}

describe('heap sizing', () => {
  it('is balanced unless PRYZM_HEAP says otherwise', () => {
    const context = { serviceDir: '/srv/pryzm/service' };
    expect(loadConfig({}, context).heap).toBe('balanced');
    expect(loadConfig({ PRYZM_HEAP: 'small' }, context).heap).toBe('small');
    expect(loadConfig({ PRYZM_HEAP: 'v8' }, context).heap).toBe('v8');
    expect(() => loadConfig({ PRYZM_HEAP: 'default' }, context)).toThrow(
      'PRYZM_HEAP must be "balanced", "small" or "v8" (got "default")',
    );
  });

  it('sets one V8 flag per sizing, none for V8 own sizing', () => {
    expect(heapSizingFlags('balanced')).toEqual([
      `--heap-growing-percent=${BALANCED_HEAP_GROWING_PERCENT}`,
    ]);
    expect(heapSizingFlags('small')).toEqual(['--optimize-for-size']);
    expect(heapSizingFlags('v8')).toEqual([]);
  });

  it('caps the young generation from the command line that starts the service, for balanced only', () => {
    expect(heapSizingNodeFlags('balanced')).toEqual([
      `--max-semi-space-size=${BALANCED_SEMI_SPACE_MB}`,
    ]);
    expect(heapSizingNodeFlags('small')).toEqual([]);
    expect(heapSizingNodeFlags('v8')).toEqual([]);
    expect(heapSizingNodeFlags(undefined), 'unset is balanced').toEqual(
      heapSizingNodeFlags('balanced'),
    );
    expect(heapSizingNodeFlags('huge'), 'left to the configuration to refuse').toEqual([]);
    const balanced = youngGenerationMbAfterChurn(heapSizingNodeFlags('balanced'));
    const own = youngGenerationMbAfterChurn([]);
    expect(balanced, 'two semi-spaces of at most the balanced size').toBeLessThanOrEqual(
      2 * BALANCED_SEMI_SPACE_MB,
    );
    expect(own, 'V8 grows its own young generation past that').toBeGreaterThan(balanced);
  });

  it('takes effect in V8 when set after the process started', () => {
    const factor = (1 + BALANCED_HEAP_GROWING_PERCENT / 100).toFixed(1);
    const balanced = growingFactorsAfter('balanced');
    expect(balanced.length).toBeGreaterThan(0);
    expect(balanced.every((used) => used === factor)).toBe(true);
    // V8's own sizing picks its factor itself (up to 4.0 on the first full collection).
    const own = growingFactorsAfter('v8');
    expect(own.length).toBeGreaterThan(0);
    expect(own).not.toContain(factor);
  });
});
