/**
 * `target` with `overrides` in place of its own properties of those names; every other property
 * is the target's, its methods bound to it. The store wraps Prisma's driver adapters this way
 * (query-arguments.ts, sqlite-adapter.ts): Prisma keeps calling the adapter's other methods, which
 * must still see the adapter itself as `this`.
 */
export function overriding<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(inner, property, receiver) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) {
        return overrides[property];
      }
      const value: unknown = Reflect.get(inner, property, receiver);
      return typeof value === 'function' ? value.bind(inner) : value;
    },
  });
}
