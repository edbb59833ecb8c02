import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** `import … from './x.ts'`, `export … from`, side-effect and dynamic imports of relative paths. */
const RELATIVE_IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name === 'generated' ? [] : sourceFiles(path);
    }
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The top-level folder of `file` under `root` (files directly in `root` are their own node). */
function folderOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

export interface ImportGraph {
  /** file → files it imports (relative imports only), paths relative to the root. */
  files: Map<string, Set<string>>;
  /** top-level folder → folders it imports. */
  folders: Map<string, Set<string>>;
}

/** Reads every non-test `.ts` file under `root` and builds its file and folder import graphs. */
export function importGraph(root: string): ImportGraph {
  const files = new Map<string, Set<string>>();
  const folders = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const from = relative(root, file);
    const fromFolder = folderOf(root, file);
    const fileEdges = files.get(from) ?? new Set<string>();
    files.set(from, fileEdges);
    const folderEdges = folders.get(fromFolder) ?? new Set<string>();
    folders.set(fromFolder, folderEdges);
    for (const match of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolve(dirname(file), (match[1] ?? match[2])!);
      if (relative(root, target).startsWith('..')) continue;
      fileEdges.add(relative(root, target));
      const toFolder = folderOf(root, target);
      if (toFolder !== fromFolder) folderEdges.add(toFolder);
    }
  }
  return { files, folders };
}

/** Every cycle of a directed graph, each once, as the list of its nodes. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const found = new Map<string, string[]>();
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(canonical.join(' → '), canonical);
      } else if (path.length < 12) {
        visit(next, [...path, next]);
      }
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...found.values()];
}
