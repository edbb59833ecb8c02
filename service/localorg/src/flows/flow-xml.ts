/**
 * Reading Flow metadata XML: the helpers every element parser shares, and the error that stops
 * the local org from starting with a Flow it cannot run.
 */
import type { FlowValue } from './flow-model.ts';

export class UnsupportedFlowError extends Error {}

export type Xml = Record<string, unknown>;

const IGNORED = new Set([
  'locationX',
  'locationY',
  'label',
  'description',
  'processMetadataValues',
]);

export function fail(flow: string, message: string): never {
  throw new UnsupportedFlowError(`Flow ${flow}: ${message}`);
}

export function checkKeys(flow: string, where: string, node: Xml, allowed: string[]): void {
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key) && !IGNORED.has(key))
      fail(flow, `<${where}> has unsupported <${key}>`);
  }
}

export function text(node: Xml, key: string): string | undefined {
  const value = node[key];
  if (value === undefined) return undefined;
  return String(value).trim();
}

export function connectorOf(node: Xml, key = 'connector'): string | undefined {
  const connector = node[key] as Xml | undefined;
  return connector ? text(connector, 'targetReference') : undefined;
}

export function parseValue(flow: string, value: Xml | undefined): FlowValue {
  if (!value) return { kind: 'literal', value: null };
  const keys = Object.keys(value);
  if (keys.length !== 1)
    fail(
      flow,
      `a <value> must hold exactly one of stringValue, booleanValue, numberValue, elementReference`,
    );
  const [key] = keys as [string];
  const raw = text(value, key) ?? '';
  switch (key) {
    case 'stringValue':
      return { kind: 'literal', value: raw };
    case 'booleanValue':
      return { kind: 'literal', value: raw === 'true' };
    case 'numberValue':
      return { kind: 'literal', value: Number(raw) };
    case 'elementReference':
      return { kind: 'reference', ref: raw };
    default:
      return fail(flow, `<value> with <${key}> is not supported`);
  }
}
