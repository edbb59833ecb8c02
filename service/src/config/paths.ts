import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The service's folder (`service/`), whether this runs from `src/` (tsx, tests) or from the
 * build in `dist/`: both sit one level below it. Relative paths in the configuration resolve here.
 */
export const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
