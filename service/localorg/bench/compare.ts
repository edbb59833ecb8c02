/**
 * Shared by the benchmarks: timing of a repeated run and the table every benchmark ends with,
 * one row per measure with its figure, the baseline measured in the same run on the same data,
 * and the ratio between them.
 *
 * The ratio is always the cost of the figure in units of the baseline's cost (time per record,
 * per event or per query): 1.00x is as fast as the baseline, 4.00x takes four times as long.
 * Absolute figures depend on the machine; the ratios are what compare between machines.
 */

export interface Comparison {
  /** What is measured. */
  name: string;
  figure: number;
  baseline: number;
  /** Unit of both numbers: `records/s`, `events/s`, `rows/s` (more is faster) or `s`, `ms`. */
  unit: string;
  /** What the baseline is, in a few words. */
  baselineIs: string;
}

const RATES = /\/s$/;

/** Cost of the figure over the baseline's: per item for rates, as is for times. */
export function costRatio(row: Pick<Comparison, 'figure' | 'baseline' | 'unit'>): number {
  return RATES.test(row.unit) ? row.baseline / row.figure : row.figure / row.baseline;
}

function format(value: number, unit: string): string {
  const digits = RATES.test(unit) ? 0 : value < 10 ? 3 : value < 100 ? 2 : 1;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/**
 * Prints aligned rows `name | figure | baseline | ratio | baseline is`; when every row has the
 * same baseline, it is named once under the title instead of in a column.
 */
export function printComparisons(title: string, rows: Comparison[]): void {
  const shared = rows.every((row) => row.baselineIs === rows[0]?.baselineIs);
  const table = [
    ['measure', 'figure', 'baseline', 'ratio', ...(shared ? [] : ['baseline is'])],
    ...rows.map((row) => [
      row.name,
      format(row.figure, row.unit),
      format(row.baseline, row.unit),
      `${costRatio(row).toFixed(2)}x`,
      ...(shared ? [] : [row.baselineIs]),
    ]),
  ];
  const widths = table[0]!.map((_, column) =>
    Math.max(...table.map((cells) => cells[column]!.length)),
  );
  // Names and descriptions align left, numbers right.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === 4
          ? cell.padEnd(widths[column]!)
          : cell.padStart(widths[column]!),
      )
      .join(' | ')
      .trimEnd();
  console.log(`\n${title}`);
  if (shared) console.log(`baseline: ${rows[0]?.baselineIs ?? ''}`);
  console.log("ratio: the figure's time per item over the baseline's (1.00x = as fast)");
  console.log(line(table[0]!));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const cells of table.slice(1)) console.log(line(cells));
}

/**
 * Seconds one call of `run` takes: the median of repeated calls after one warm-up call, repeated
 * at least `runs` times and for at least `minSeconds`, so that fast baselines get enough samples.
 */
export function medianSeconds(run: () => unknown, runs = 5, minSeconds = 0.2): number {
  run();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < runs || (performance.now() - started) / 1000 < minSeconds) {
    const t0 = performance.now();
    run();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}
