/**
 * Builds what the local org's Lightning pages run: the package's own components from
 * force-app/main/default/lwc (pryzmPushButton, pryzmPushAction, pryzmSetupChecklist and the
 * modules they import) compiled with LWC OSS, the same @lwc packages and rollup plugin the
 * console uses, together with the local org's stand-ins for what Lightning provides them
 * (lightning-* base components, lightning/empApi, lightning/platformShowToastEvent,
 * lightning/uiRecordApi, lightning/actions) and the page shells. `@salesforce/*` imports are
 * resolved here: Custom Labels from the package's CustomLabels file, Apex methods to calls of the
 * local org's Apex emulation, the user id and custom permissions to the page's context. The
 * Lightning Design System's stylesheet and sprites are copied beside the bundle, so the local
 * org serves the pages with nothing fetched at run time.
 *
 *   node service/localorg/scripts/build-lightning.mjs [outDir] [--if-stale]
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { XMLParser } from 'fast-xml-parser';
import { rollup } from 'rollup';

const localOrgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repository = resolve(localOrgDir, '..', '..');
const componentsDir = join(localOrgDir, 'src', 'lightning', 'components');
const packageDir = join(repository, 'force-app', 'main', 'default');
/** Beside the TypeScript build, in a folder of its own that tsc never writes. */
export const defaultOutDir = join(localOrgDir, 'dist', 'lightning-page');
const require = createRequire(import.meta.url);

/** A package's folder as Node would find it from `fromDir` (packages keep versions apart). */
function nodePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} not found from ${fromDir}`);
  }
}

// `lwc` 9.4.3 carries its own engine and synthetic shadow; the root may hold others for Jest.
const lwcDir = dirname(require.resolve('lwc'));
const engineDom = join(nodePackageDir('@lwc/engine-dom', lwcDir), 'dist', 'index.js');
const syntheticShadow = join(nodePackageDir('@lwc/synthetic-shadow', lwcDir), 'dist', 'index.js');
const sldsDir = dirname(require.resolve('@salesforce-ux/design-system/package.json'));

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The local org's modules by LWC name. Their files are kebab-case like every file of the local
 * org; an alias record gives each the namespace/name LWC needs for its tag.
 */
function localModules() {
  const names = {
    lightning: [
      'card',
      'button',
      'icon',
      'spinner',
      'progressBar',
      'formattedDateTime',
      'quickActionPanel',
      'empApi',
      'platformShowToastEvent',
      'uiRecordApi',
      'actions',
    ],
    one: ['recordPage', 'appPage', 'globalHeader', 'toastRegion', 'recordDetails'],
    salesforce: ['context', 'assets', 'apexClient'],
  };
  return Object.entries(names).flatMap(([namespace, modules]) =>
    modules.map((name) => ({
      name: `${namespace}/${name}`,
      path: join(componentsDir, namespace, kebab(name), `${kebab(name)}.js`),
    })),
  );
}

/** The package's components and service modules, as `c/<name>` resolves them in an org. */
function packageModules() {
  const lwcDir = join(packageDir, 'lwc');
  return readdirSync(lwcDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(lwcDir, entry.name, `${entry.name}.js`)),
    )
    .map((entry) => ({
      name: `c/${entry.name}`,
      path: join(lwcDir, entry.name, `${entry.name}.js`),
    }));
}

/** The package's Custom Labels by name (the default language's values). */
function customLabels() {
  const parser = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false });
  const file = join(packageDir, 'labels', 'CustomLabels.labels-meta.xml');
  const labels = parser.parse(readFileSync(file, 'utf8')).CustomLabels?.labels ?? [];
  return new Map(labels.map((label) => [label.fullName, String(label.value ?? '')]));
}

const VIRTUAL = '\0salesforce:';

/** `@salesforce/*` scoped modules (Lightning Web Components Developer Guide, "@salesforce Modules"). */
function salesforceModules(labels) {
  const apexClient = join(componentsDir, 'salesforce', 'apex-client', 'apex-client.js');
  const context = join(componentsDir, 'salesforce', 'context', 'context.js');
  const sources = {
    apex: (rest) => {
      if (!rest) {
        return `export { refreshApex, getSObjectValue } from ${JSON.stringify(apexClient)};`;
      }
      const [classname, method] = rest.split('.');
      if (!classname || !method) throw new Error(`@salesforce/apex/${rest}: expected Class.method`);
      return `import { apexMethod } from ${JSON.stringify(apexClient)};
export default apexMethod(${JSON.stringify(classname)}, ${JSON.stringify(method)});`;
    },
    label: (rest) => {
      const name = (rest ?? '').replace(/^c\./, '');
      // An org answers a missing label with its name in brackets; a build should not ship one.
      if (!labels.has(name)) throw new Error(`@salesforce/label/${rest}: no such Custom Label`);
      return `export default ${JSON.stringify(labels.get(name))};`;
    },
    customPermission: (rest) =>
      `import { hasCustomPermission } from ${JSON.stringify(context)};
export default hasCustomPermission(${JSON.stringify(rest ?? '')});`,
    user: (rest) => {
      if (rest !== 'Id') throw new Error(`@salesforce/user/${rest}: only Id is provided`);
      return `import { pageContext } from ${JSON.stringify(context)};
export default pageContext().user ? pageContext().user.id : undefined;`;
    },
  };
  return {
    name: 'localorg-salesforce-modules',
    resolveId(id) {
      if (id === '@lwc/synthetic-shadow') return syntheticShadow;
      if (!id.startsWith('@salesforce/')) return null;
      const [, kind] = id.split('/');
      if (!sources[kind]) throw new Error(`${id}: the local org provides no such module`);
      return `${VIRTUAL}${id}`;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const [, kind, ...rest] = id.slice(VIRTUAL.length).split('/');
      return sources[kind](rest.length ? rest.join('/') : undefined);
    },
    // The engine keeps its development checks behind process.env.NODE_ENV; a browser has no
    // `process`, so the production value is written in.
    transform(code) {
      if (!code.includes('process.env.NODE_ENV')) return null;
      return { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null };
    },
  };
}

async function bundle(outDir) {
  const build = await rollup({
    input: join(componentsDir, 'main.js'),
    plugins: [
      salesforceModules(customLabels()),
      lwc({
        rootDir: componentsDir,
        modules: [...localModules(), ...packageModules()],
        defaultModules: [{ name: 'lwc', path: engineDom }],
      }),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
    },
  });
  await build.write({ file: join(outDir, 'lightning.js'), format: 'esm', sourcemap: false });
  await build.close();
}

function copyAssets(outDir) {
  const assets = join(outDir, 'assets');
  mkdirSync(join(assets, 'styles'), { recursive: true });
  cpSync(
    join(sldsDir, 'assets', 'styles', 'salesforce-lightning-design-system.min.css'),
    join(assets, 'styles', 'salesforce-lightning-design-system.min.css'),
  );
  for (const sprite of ['utility', 'standard', 'custom']) {
    const to = join(assets, 'icons', `${sprite}-sprite`, 'svg');
    mkdirSync(to, { recursive: true });
    cpSync(
      join(sldsDir, 'assets', 'icons', `${sprite}-sprite`, 'svg', 'symbols.svg'),
      join(to, 'symbols.svg'),
    );
  }
  cpSync(join(componentsDir, 'page.css'), join(assets, 'styles', 'page.css'));
}

/**
 * Moves `staging` to `outDir`, the old build aside first. Two builds finishing together (two test
 * files building at once) can both find `outDir` gone and race for it: the loser tries again.
 */
function swapIn(staging, outDir) {
  for (let attempt = 1; ; attempt++) {
    const previous = `${outDir}.previous-${process.pid}-${Date.now()}-${attempt}`;
    try {
      if (existsSync(outDir)) renameSync(outDir, previous);
      renameSync(staging, outDir);
      rmSync(previous, { recursive: true, force: true });
      return;
    } catch (error) {
      rmSync(previous, { recursive: true, force: true });
      if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(error.code)) throw error;
    }
  }
}

/** The newest modification time of the files a build reads, in ms. */
function newestSource(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    return Math.max(newest, time);
  }, 0);
}

/** Whether `outDir` holds a build newer than every source it was made from. */
export function isUpToDate(outDir = defaultOutDir) {
  const stamp = join(outDir, 'build.json');
  if (!existsSync(stamp) || !existsSync(join(outDir, 'lightning.js'))) return false;
  const built = statSync(stamp).mtimeMs;
  const sources = [componentsDir, join(packageDir, 'lwc'), join(packageDir, 'labels')];
  const newest = Math.max(
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    ...sources.map((dir) => newestSource(dir)),
  );
  return built > newest;
}

/**
 * Builds into a fresh folder beside `outDir`, then swaps it in, so a local org serving the old
 * build (or a second build running at the same time) never sees half of it.
 */
export async function buildLightning(outDir = defaultOutDir) {
  const started = Date.now();
  const staging = `${outDir}.building-${process.pid}-${Date.now()}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await bundle(staging);
    copyAssets(staging);
    writeFileSync(
      join(staging, 'build.json'),
      JSON.stringify({ builtAt: new Date().toISOString() }),
    );
    swapIn(staging, outDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return { outDir, milliseconds: Date.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --if-stale: build only when a source changed since the last build (the tests use it).
  const ifStale = process.argv.includes('--if-stale');
  const target = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  const outDir = target ? resolve(target) : defaultOutDir;
  if (ifStale && isUpToDate(outDir)) {
    console.log(`Lightning pages in ${outDir} are up to date`);
  } else {
    const { milliseconds } = await buildLightning(outDir);
    console.log(`Lightning pages built into ${outDir} in ${(milliseconds / 1000).toFixed(1)} s`);
  }
}
