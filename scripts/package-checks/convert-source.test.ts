import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listFiles,
  packageFiles,
  read,
  repoRoot,
  sourceRoot,
  tagValue,
  tagValues,
} from './package-files.ts';

// Metadata folder → [type in package.xml, file suffix]. LWC bundles are folders, handled apart.
const FOLDER_TYPES: Record<string, [string, string]> = {
  applications: ['CustomApplication', '.app-meta.xml'],
  classes: ['ApexClass', '.cls-meta.xml'],
  customPermissions: ['CustomPermission', '.customPermission-meta.xml'],
  externalCredentials: ['ExternalCredential', '.externalCredential-meta.xml'],
  flexipages: ['FlexiPage', '.flexipage-meta.xml'],
  flows: ['Flow', '.flow-meta.xml'],
  namedCredentials: ['NamedCredential', '.namedCredential-meta.xml'],
  permissionsets: ['PermissionSet', '.permissionset-meta.xml'],
  platformEventChannelMembers: [
    'PlatformEventChannelMember',
    '.platformEventChannelMember-meta.xml',
  ],
  platformEventChannels: ['PlatformEventChannel', '.platformEventChannel-meta.xml'],
  quickActions: ['QuickAction', '.quickAction-meta.xml'],
  tabs: ['CustomTab', '.tab-meta.xml'],
};

/** Components the source tree holds, as "Type:Member", derived from file names alone. */
function expectedComponents(): string[] {
  const components: string[] = [];
  for (const path of packageFiles()) {
    const relPath = path.slice(sourceRoot.length + 1);
    const [folder, ...rest] = relPath.split('/');
    const file = rest[rest.length - 1];
    if (folder === 'objects') {
      const objectName = rest[0];
      if (rest[1] === 'fields') {
        components.push(`CustomField:${objectName}.${file.replace('.field-meta.xml', '')}`);
      } else if (rest[1] === 'listViews') {
        components.push(`ListView:${objectName}.${file.replace('.listView-meta.xml', '')}`);
      } else if (file === `${objectName}.object-meta.xml`) {
        components.push(`CustomObject:${objectName}`);
      }
    } else if (folder === 'labels' && file.endsWith('.labels-meta.xml')) {
      // One CustomLabels file holds every label; package.xml lists it and each label.
      components.push(`CustomLabels:${file.replace('.labels-meta.xml', '')}`);
      for (const label of tagValues(read(path), 'fullName')) {
        components.push(`CustomLabel:${label}`);
      }
    } else if (folder === 'lwc') {
      if (file === `${rest[0]}.js-meta.xml`) {
        components.push(`LightningComponentBundle:${rest[0]}`);
      }
    } else if (FOLDER_TYPES[folder] && file.endsWith(FOLDER_TYPES[folder][1])) {
      components.push(`${FOLDER_TYPES[folder][0]}:${file.replace(FOLDER_TYPES[folder][1], '')}`);
    }
  }
  return components.sort();
}

describe('sf project convert source', () => {
  let work: string;
  let outputDir: string;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'pryzm-convert-'));
    outputDir = join(work, 'mdapi');
    const home = join(work, 'home');
    result = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'sf'),
      [
        'project',
        'convert',
        'source',
        '--root-dir',
        'force-app',
        '--output-dir',
        outputDir,
        '--json',
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: {
          ...process.env,
          HOME: home,
          SF_DISABLE_TELEMETRY: 'true',
          SF_DISABLE_AUTOUPDATE: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
        },
      },
    );
  }, 120_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('converts the package without errors', () => {
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(existsSync(join(outputDir, 'package.xml'))).toBe(true);
  });

  it('lists every component of the source tree in package.xml', () => {
    const manifest = read(join(outputDir, 'package.xml'));
    const listed = tagValues(manifest, 'types')
      .flatMap((types) => {
        const name = tagValue(types, 'name');
        return tagValues(types, 'members').map((member) => `${name}:${member}`);
      })
      .sort();
    expect(listed).toEqual(expectedComponents());
    expect(tagValue(manifest, 'version')).toBe('63.0');
  });

  it('keeps Jest tests out of the converted package', () => {
    const converted = listFiles(outputDir);
    expect(converted.filter((path) => path.includes('__tests__'))).toEqual([]);
    expect(readdirSync(join(outputDir, 'lwc')).sort()).toEqual(
      readdirSync(join(sourceRoot, 'lwc')).sort(),
    );
  });
});
