import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultForceAppDir } from '../../src/index.ts';

/**
 * A copy of the package's force-app under `dir` with one more Account field, as an admin adds
 * one in Setup. `definition` is the field's metadata after its `<fullName>`.
 */
export function forceAppWithAccountField(
  dir: string,
  fieldName: string,
  definition: string,
): string {
  const packageDir = defaultForceAppDir();
  if (!packageDir) throw new Error('force-app not found');
  const copy = join(dir, 'force-app');
  cpSync(packageDir, copy, { recursive: true });
  writeFileSync(
    join(copy, `main/default/objects/Account/fields/${fieldName}.field-meta.xml`),
    `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${fieldName}</fullName>
${definition}
</CustomField>`,
  );
  return copy;
}
