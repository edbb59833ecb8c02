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

/**
 * One cycle per strongly connected component of a directed graph (Tarjan's algorithm, linear in
 * the graph's size), each as the list of its nodes starting from the smallest. The graph has no
 * cycle exactly when this is empty; enumerating every path instead grows exponentially with the
 * number of files.
 */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        strongConnect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = component.length === 1 && (graph.get(node)?.has(node) ?? false);
    if (component.length > 1 || selfLoop) components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) strongConnect(node);
  return components.map((component) => cycleWithin(graph, new Set(component)));
}

/** A shortest cycle through the smallest node of a strongly connected component. */
function cycleWithin(graph: Map<string, Set<string>>, component: Set<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}
