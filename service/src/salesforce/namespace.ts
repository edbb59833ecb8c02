/** The namespace of the managed package. */
export const PACKAGE_NAMESPACE = 'pryzm';

/**
 * The API name as it exists in an org: the package's names carry `pryzm__` in a managed install
 * and none in a plain deploy. `available` holds the org's names; the match is case-insensitive
 * like Salesforce's.
 */
export function resolveApiName(name: string, available: Iterable<string>): string | undefined {
  const byLower = new Map<string, string>();
  for (const candidate of available) byLower.set(candidate.toLowerCase(), candidate);
  const lower = name.toLowerCase();
  const prefix = `${PACKAGE_NAMESPACE}__`;
  return (
    byLower.get(lower) ??
    (lower.startsWith(prefix)
      ? byLower.get(lower.slice(prefix.length))
      : byLower.get(prefix + lower))
  );
}
