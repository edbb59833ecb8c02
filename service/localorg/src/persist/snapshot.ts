import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { StoredRecord } from '../core/contracts.ts';
import type { LocalOrgRuntime } from '../org/runtime.ts';

/**
 * Persists every org's records to one file, a JSON line per record (so a million records
 * neither need one giant string to write nor to read), and loads them back at start.
 * Orgs are matched by My Domain name; objects no longer in the schema are skipped.
 */

const HEADER = { format: 'pryzm-localorg-snapshot', version: 1 };
const CHUNK = 5000;

export function saveSnapshot(runtime: LocalOrgRuntime, file: string): number {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  let count = 0;
  try {
    writeSync(fd, JSON.stringify(HEADER) + '\n');
    for (const org of runtime.orgs) {
      for (const table of org.store.allTables()) {
        let lines: string[] = [];
        for (const record of table.records.values()) {
          lines.push(JSON.stringify({ org: org.config.myDomain, object: table.name, record }));
          count++;
          if (lines.length === CHUNK) {
            writeSync(fd, lines.join('\n') + '\n');
            lines = [];
          }
        }
        if (lines.length) writeSync(fd, lines.join('\n') + '\n');
      }
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return count;
}

export async function loadSnapshot(runtime: LocalOrgRuntime, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let first = true;
  let count = 0;
  const cleared = new Set<string>();
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (first) {
      first = false;
      const header = JSON.parse(line) as typeof HEADER;
      if (header.format !== HEADER.format) throw new Error(`${file} is not a local org snapshot`);
      continue;
    }
    const entry = JSON.parse(line) as { org: string; object: string; record: StoredRecord };
    const org = runtime.org(entry.org);
    const table = org?.store.table(entry.object);
    if (!org || !table) continue;
    const key = `${org.id}/${table.name}`;
    if (!cleared.has(key)) {
      // The snapshot replaces what the org started with (its setup records included).
      for (const id of [...table.records.keys()]) table.remove(id);
      cleared.add(key);
    }
    table.put(entry.record);
    org.ids.observe(entry.record.Id);
    count++;
  }
  return count;
}
