/**
 * Builds the console: Lightning Web Components (LWC OSS, light DOM) bundled by rollup with
 * LWC's own plugin, next to the Salesforce Lightning Design System's stylesheet and icon sprites,
 * into static files the service serves at /console. Nothing is fetched at run time.
 *
 *   node service/console/scripts/build.mjs [outDir]
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { rollup } from 'rollup';

const consoleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultOutDir = join(consoleDir, 'dist');
const require = createRequire(import.meta.url);

/** A package's folder as Node would find it from `fromDir` (packages keep versions apart). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} not found from ${fromDir}`);
  }
}

// `lwc` 9.4.3 carries its own engine; the root folder may hold another version for Jest.
const lwcDir = dirname(require.resolve('lwc'));
const engineDom = join(packageDir('@lwc/engine-dom', lwcDir), 'dist', 'index.js');
const sldsDir = dirname(require.resolve('@salesforce-ux/design-system/package.json'));
const uplotDir = packageDir('uplot', consoleDir);

/** Third-party ES modules the components import by bare name. */
const vendor = {
  name: 'pryzm-console-vendor',
  resolveId(id) {
    if (id === 'uplot') return join(uplotDir, 'dist', 'uPlot.esm.js');
    return null;
  },
  // The engine keeps its development checks behind process.env.NODE_ENV; a browser has no
  // `process`, so the production value is written in.
  transform(code) {
    if (!code.includes('process.env.NODE_ENV')) return null;
    return { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null };
  },
};

async function bundle(outDir) {
  const build = await rollup({
    input: join(consoleDir, 'src', 'main.js'),
    plugins: [
      vendor,
      lwc({
        rootDir: join(consoleDir, 'src', 'modules'),
        defaultModules: [{ name: 'lwc', path: engineDom }],
        // Light DOM components: SLDS's global stylesheet styles them as it styles Salesforce.
        disableSyntheticShadowSupport: true,
      }),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
    },
  });
  await build.write({ file: join(outDir, 'console.js'), format: 'esm', sourcemap: false });
  await build.close();
}

function copyAssets(outDir) {
  const assets = join(outDir, 'assets');
  mkdirSync(join(assets, 'styles'), { recursive: true });
  cpSync(
    join(sldsDir, 'assets', 'styles', 'salesforce-lightning-design-system.min.css'),
    join(assets, 'styles', 'salesforce-lightning-design-system.min.css'),
  );
  for (const sprite of ['utility', 'standard']) {
    const to = join(assets, 'icons', `${sprite}-sprite`, 'svg');
    mkdirSync(to, { recursive: true });
    cpSync(
      join(sldsDir, 'assets', 'icons', `${sprite}-sprite`, 'svg', 'symbols.svg'),
      join(to, 'symbols.svg'),
    );
  }
  cpSync(join(sldsDir, 'assets', 'images', 'themes'), join(assets, 'images', 'themes'), {
    recursive: true,
  });
  cpSync(join(uplotDir, 'dist', 'uPlot.min.css'), join(assets, 'styles', 'uplot.min.css'));
  cpSync(join(consoleDir, 'src', 'console.css'), join(assets, 'styles', 'console.css'));
  cpSync(join(consoleDir, 'src', 'index.html'), join(outDir, 'index.html'));
}

/**
 * Builds into a fresh folder beside `outDir`, then swaps it in, so a service serving the old
 * build (or a second build running at the same time) never sees half a console.
 */
export async function buildConsole(outDir = defaultOutDir) {
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
    const previous = `${outDir}.previous-${process.pid}-${Date.now()}`;
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return { outDir, milliseconds: Date.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, milliseconds } = await buildConsole(
    process.argv[2] ? resolve(process.argv[2]) : undefined,
  );
  console.log(`console built into ${outDir} in ${(milliseconds / 1000).toFixed(1)} s`);
}
