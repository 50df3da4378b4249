/** Orders names as a person reads a list: `acme` before `Beta` before `cobalt`. */
export const compareText: (a: string, b: string) => number = new Intl.Collator('en').compare;

/** By name, then by id so that equal names keep a stable order. */
export function compareByName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return compareText(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

