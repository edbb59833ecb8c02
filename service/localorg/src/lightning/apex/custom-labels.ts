/**
 * The package's Custom Labels as its Apex reads them (`System.Label.<name>`), from
 * force-app/main/default/labels, and `String.format` for their `{0}` placeholders. The local org's
 * Apex emulation shows exactly the text the package's Apex does, and follows the labels when they
 * change. https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_string.htm#apex_System_String_format
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export class CustomLabels {
  private readonly values = new Map<string, string>();

  constructor(forceAppDir: string | undefined) {
    const file = forceAppDir
      ? join(forceAppDir, 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml')
      : undefined;
    if (!file || !existsSync(file)) return;
    const parser = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false });
    const parsed = parser.parse(readFileSync(file, 'utf8')) as {
      CustomLabels?: { labels?: { fullName: string; value?: unknown }[] };
    };
    for (const label of parsed.CustomLabels?.labels ?? []) {
      this.values.set(label.fullName, String(label.value ?? ''));
    }
  }

  /** `String.format(System.Label.<name>, args)`; a label the package lacks is an error. */
  format(name: string, ...args: unknown[]): string {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`The package has no Custom Label ${name}`);
    return value.replace(/\{(\d+)\}/g, (match, index: string) => {
      const arg = args[Number(index)];
      return arg === undefined ? match : String(arg);
    });
  }
}
