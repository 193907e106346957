/**
 * Immutability of checked designs. A `Design` is built once per text by the language front end and then shared by
 * every consumer of that text (language services, panel views, the report and schedule workers' inputs); engine
 * caches are keyed on its identity (schedule/frame.ts, schedule/routing.ts). `deepFreeze` makes that sharing safe at
 * run time: language/src/phases.ts freezes every design it checks, so no cache can be keyed on a mutated object.
 */

/** Freezes `value` and everything reachable from it (plain objects and arrays, iteratively); returns it. */
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
