import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, packageFiles, read, rel, repoRoot, schemaDir } from './package-files.ts';

// Salesforce's Metadata API v63 schema, exactly as the WSDL defines it (element names, enum values,
// simple types, required elements, cardinality and element order), with one change for source
// format: the WSDL types LightningComponentBundle.targetConfigs as base64Binary (the API sends the
// block encoded), while a *.js-meta.xml file writes it as XML. sourceFormatSchema() types that block
// from the LWC configuration reference and lets a bundle list <targets> before <targetConfigs>, as
// Salesforce's own examples do. Every other type stays strict.
const carriedXsd = join(schemaDir, 'metadata-v63.xsd');
const sharedDir = join(repoRoot, '..', 'shared', 'salesforce', 'metadata');

const BUNDLE_TYPE =
  /(<xsd:complexType name="LightningComponentBundle">\s*<xsd:complexContent>\s*<xsd:extension base="tns:Metadata">\s*)<xsd:sequence>([\s\S]*?)<\/xsd:sequence>/;

const TARGET_CONFIG_TYPES = `
   <xsd:complexType name="SourceFormatTargetConfigs">
    <xsd:sequence>
     <xsd:element name="targetConfig" maxOccurs="unbounded" type="tns:SourceFormatTargetConfig" />
    </xsd:sequence>
   </xsd:complexType>
   <xsd:complexType name="SourceFormatTargetConfig">
    <xsd:choice minOccurs="0" maxOccurs="unbounded">
     <xsd:element name="actionType" type="tns:SourceFormatActionType" />
     <xsd:element name="configurationEditor" type="xsd:string" />
     <xsd:element name="event" type="xsd:anyType" />
     <xsd:element name="objects" type="tns:SourceFormatObjects" />
     <xsd:element name="property" type="xsd:anyType" />
     <xsd:element name="propertyType" type="xsd:anyType" />
     <xsd:element name="supportedFormFactors" type="xsd:anyType" />
    </xsd:choice>
    <xsd:attribute name="targets" use="required">
     <xsd:simpleType>
      <xsd:restriction base="xsd:string">
       <xsd:pattern value="\\w+__\\w+(\\s*,\\s*\\w+__\\w+)*" />
      </xsd:restriction>
     </xsd:simpleType>
    </xsd:attribute>
   </xsd:complexType>
   <xsd:simpleType name="SourceFormatActionType">
    <xsd:restriction base="xsd:string">
     <xsd:enumeration value="Action" />
     <xsd:enumeration value="ScreenAction" />
    </xsd:restriction>
   </xsd:simpleType>
   <xsd:complexType name="SourceFormatObjects">
    <xsd:sequence>
     <xsd:element name="object" maxOccurs="unbounded" type="xsd:string" />
    </xsd:sequence>
   </xsd:complexType>
`;

/** The carried Metadata API schema with the source-format LWC configuration block. */
export function sourceFormatSchema(xsd: string): string {
  const bundle = BUNDLE_TYPE.exec(xsd);
  if (!bundle) {
    throw new Error('LightningComponentBundle is missing from the Metadata API schema');
  }
  const children = bundle[2].replace(
    /(name="targetConfigs" minOccurs="0" type=")xsd:base64Binary"/,
    '$1tns:SourceFormatTargetConfigs"',
  );
  if (children === bundle[2]) {
    throw new Error('LightningComponentBundle.targetConfigs is no longer base64Binary');
  }
  const patched = xsd.replace(
    BUNDLE_TYPE,
    `$1<xsd:choice minOccurs="0" maxOccurs="unbounded">${children}</xsd:choice>`,
  );
  return patched.replace(/<\/xsd:schema>\s*$/, `${TARGET_CONFIG_TYPES}</xsd:schema>\n`);
}

/** Markup with formatting differences (Prettier's or the generator's) taken out. */
function canonical(xml: string): string {
  return xml
    .replace(/\s+/g, ' ')
    .replace(/\s*(\/?>|\?>)/g, '$1')
    .replace(/>\s+</g, '><')
    .trim();
}

const work = mkdtempSync(join(tmpdir(), 'pryzm-schema-'));
const xsd = join(work, 'metadata-v63-source-format.xsd');
writeFileSync(xsd, sourceFormatSchema(read(carriedXsd)));

function xmllint(files: string[]): { status: number | null; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', xsd, ...files], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `xmllint is needed for the schema check (Debian: apt-get install -y libxml2-utils): ${result.error.message}`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

// What each negative sample must be rejected for. The first three come from
// ../shared/salesforce/metadata/negative-samples; the others only fail on what the strict schema
// adds (required elements, the LWC configuration block).
const NEGATIVE_REASONS: Record<string, RegExp> = {
  'Manufacturing_Event__e.bad.object-meta.xml': /eventType|publishBehaviour/,
  'Status__c.bad.field-meta.xml': /lenght/,
  'Status__c.badtype.field-meta.xml': /'Txt'/,
  'Pryzm_Changes_chn_NoEntity.platformEventChannelMember-meta.xml': /selectedEntity/,
  'pryzmBadActionType.js-meta.xml': /'Modal'/,
  'pryzmUntargetedConfig.js-meta.xml': /targets/,
};

describe('Metadata API schema', () => {
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const metaFiles = packageFiles().filter((path) => path.endsWith('-meta.xml'));

  it('finds the package metadata', () => {
    expect(metaFiles.length).toBeGreaterThan(50);
  });

  it('validates every *-meta.xml in force-app', () => {
    const { status, output } = xmllint(metaFiles);
    const failures = output.split('\n').filter((line) => line && !line.endsWith(' validates'));
    expect(failures, failures.join('\n')).toEqual([]);
    expect(status).toBe(0);
  });

  const negatives = listFiles(join(schemaDir, 'negative-samples'));

  it('has a reason for every negative sample', () => {
    expect(negatives.map((path) => basename(path)).sort()).toEqual(
      Object.keys(NEGATIVE_REASONS).sort(),
    );
  });

  it.each(negatives.map((path) => [rel(path), path]))(
    'rejects the negative sample %s',
    (_name, path) => {
      const { status, output } = xmllint([path]);
      expect(status).not.toBe(0);
      expect(output).toMatch(/Schemas validity error/);
      expect(output).toMatch(NEGATIVE_REASONS[basename(path)]);
    },
  );

  it('changes nothing but LightningComponentBundle', () => {
    const original = read(carriedXsd);
    const patched = sourceFormatSchema(original);
    const bundleType =
      /<xsd:complexType name="LightningComponentBundle">[\s\S]*?<\/xsd:complexType>/;
    const outside = (text: string) =>
      canonical(text.replace(bundleType, '').replace(TARGET_CONFIG_TYPES, ''));
    expect(patched).not.toBe(original);
    expect(outside(patched) === outside(original)).toBe(true);
  });

  // The shared reference copies exist next to the repository on development machines; CI checks
  // the carried copies above.
  const shared = existsSync(join(sharedDir, 'metadata-v63.xsd'));

  it.runIf(shared)('carries the Metadata API schema unchanged (formatting aside)', () => {
    expect(
      canonical(read(carriedXsd)) === canonical(read(join(sharedDir, 'metadata-v63.xsd'))),
    ).toBe(true);
  });

  const sharedNegatives = shared
    ? listFiles(join(sharedDir, 'negative-samples')).map((path) => [basename(path), path])
    : [];

  it.runIf(shared).each(sharedNegatives)('rejects the shared negative sample %s', (name, path) => {
    const { status, output } = xmllint([path]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/Schemas validity error/);
    expect(output).toMatch(NEGATIVE_REASONS[name]);
    expect(canonical(read(join(schemaDir, 'negative-samples', name)))).toBe(canonical(read(path)));
  });
});
