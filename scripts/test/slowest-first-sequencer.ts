import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { MEASURED_FILE_MS } from './file-durations.ts';

/**
 * Starts the slowest test files first, so the workers finish together instead of one worker
 * running a 40-second browser or multi-process file alone at the end of the run.
 *
 * A file's expected duration is what Vitest's own results cache measured on this machine (local
 * runs), else what a clean CI run measured (`file-durations.ts`, for clean clones, which have no
 * cache). Files known to neither come after the measured ones, larger first, as Vitest orders
 * files it knows nothing about.
 */
export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const expected = new Map(files.map((spec) => [spec, this.expectedMs(spec)]));
    const size = (spec: TestSpecification) => {
      try {
        return statSync(spec.moduleId).size;
      } catch {
        return 0;
      }
    };
    return [...files].sort((a, b) => {
      const ea = expected.get(a);
      const eb = expected.get(b);
      if (ea !== undefined && eb !== undefined) return eb - ea;
      if (ea !== undefined) return -1;
      if (eb !== undefined) return 1;
      return size(b) - size(a);
    });
  }

  private expectedMs(spec: TestSpecification): number | undefined {
    const cached = this.ctx.cache.getFileTestResults(
      `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`,
    );
    if (cached && cached.duration > 0) return cached.duration;
    return MEASURED_FILE_MS[
      `${spec.project.name}:${relative(spec.project.config.root, spec.moduleId)}`
    ];
  }
}
