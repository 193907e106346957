/**
 * Immutability of checked designs. A `Design` is built once per text by the language front end and then shared by
 * every consumer of that text (language services, panel views, schedule workers); engine caches are keyed on its
 * identity (schedule/frame.ts, schedule/routing.ts). `deepFreeze` makes that sharing safe at run time, and
 * `DeepReadonly` names the same guarantee for the type checker where a caller wants it spelled out.
 */

/** `T` with every property, array and map readonly, all the way down. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<DeepReadonly<K>, DeepReadonly<V>>
    : T extends readonly (infer E)[]
      ? readonly DeepReadonly<E>[]
      : T extends object
        ? { readonly [P in keyof T]: DeepReadonly<T[P]> }
        : T;

/** Freezes `value` and everything reachable from it (plain objects and arrays); returns it, typed as it was. */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    Object.freeze(v);
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return value;
}
