/**
 * Where a process's resident memory is, read from its own /proc/self/smaps (Linux; empty
 * elsewhere), for the pull benchmark's memory lines.
 *
 * The kernel's smaps lists every mapping with its resident size (`Rss`) and how much of it is
 * anonymous (https://docs.kernel.org/filesystems/proc.html, "/proc/<pid>/smaps"). The kinds told
 * apart here:
 * - `malloc heap`: glibc's main arena (`[heap]`, grown with brk);
 * - `malloc arenas`: glibc's other arenas, which threads that call malloc at the same time are
 *   given (V8's and libuv's workers): each is an anonymous mapping aligned on and reserving
 *   64 MiB (HEAP_MAX_SIZE on 64-bit), of which only the part in use is readable and writable,
 *   the rest `---p` (https://sourceware.org/glibc/wiki/MallocInternals, "Arenas and Heaps");
 * - `thread stacks`: anonymous mappings just after a one-page `---p` guard, 8 MiB by default;
 * - `anonymous`: every other anonymous mapping: V8's heap pages (freed ones it keeps included),
 *   its code space, WebAssembly memories, and mallocs too large for an arena (mmap'd alone);
 * - `files`: code and data of files (node itself, native addons, shared libraries).
 */
import { readFileSync } from 'node:fs';

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
  rss: number;
  anonymous: number;
}

const ARENA_SIZE = 64n * 1024n * 1024n;

function readMappings(): Mapping[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return [];
  }
  const mappings: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = {
        start: BigInt(`0x${head[1]}`),
        end: BigInt(`0x${head[2]}`),
        perms: head[3] ?? '',
        path: head[4] ?? '',
        rss: 0,
        anonymous: 0,
      };
      mappings.push(current);
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field && current) {
      const bytes = Number(field[2]) * 1024;
      if (field[1] === 'Rss') current.rss = bytes;
      else current.anonymous = bytes;
    }
  }
  return mappings;
}

function kindOf(mapping: Mapping, previous: Mapping | undefined, next: Mapping | undefined) {
  if (mapping.path === '[heap]') return 'malloc heap';
  if (mapping.path.startsWith('/')) return 'files';
  if (mapping.path !== '') return 'other';
  const arenaReserve =
    next !== undefined && next.path === '' && next.perms === '---p' && next.start === mapping.end
      ? next.end
      : mapping.end;
  if (
    mapping.perms.startsWith('rw') &&
    mapping.start % ARENA_SIZE === 0n &&
    arenaReserve - mapping.start === ARENA_SIZE
  ) {
    return 'malloc arenas';
  }
  if (previous !== undefined && previous.perms === '---p' && previous.end === mapping.start) {
    const guard = previous.end - previous.start;
    if (guard <= 64n * 1024n && mapping.end - mapping.start <= 8n * 1024n * 1024n) {
      return 'thread stacks';
    }
  }
  return 'anonymous';
}

/** Resident bytes by kind (see the file's comment). */
export function residentByKind(): Record<string, number> {
  const mappings = readMappings();
  const kinds: Record<string, number> = {};
  mappings.forEach((mapping, i) => {
    if (mapping.rss === 0) return;
    const kind = kindOf(mapping, mappings[i - 1], mappings[i + 1]);
    kinds[kind] = (kinds[kind] ?? 0) + mapping.rss;
  });
  return kinds;
}

export interface ResidentMap {
  /** Resident bytes by kind, and how many mappings of each kind hold any. */
  kinds: Record<string, { bytes: number; mappings: number }>;
  /** The largest resident mappings: kind, file (when one), mapped size and resident bytes. */
  largest: { kind: string; path: string; size: number; rss: number }[];
}

/** Resident bytes by kind and the `top` largest resident mappings. */
export function residentMap(top = 8): ResidentMap {
  const mappings = readMappings();
  const kinds: ResidentMap['kinds'] = {};
  const all: ResidentMap['largest'] = [];
  mappings.forEach((mapping, i) => {
    if (mapping.rss === 0) return;
    const kind = kindOf(mapping, mappings[i - 1], mappings[i + 1]);
    const entry = (kinds[kind] ??= { bytes: 0, mappings: 0 });
    entry.bytes += mapping.rss;
    entry.mappings += 1;
    all.push({
      kind,
      path: mapping.path,
      size: Number(mapping.end - mapping.start),
      rss: mapping.rss,
    });
  });
  all.sort((a, b) => b.rss - a.rss);
  return { kinds, largest: all.slice(0, top) };
}
