/** Ids grouped by a key, such as contacts by customer; groups keep insertion order. */
export class GroupIndex {
  readonly #groups = new Map<string, Set<string>>();

  add(key: string, id: string): void {
    const group = this.#groups.get(key);
    if (group) group.add(id);
    else this.#groups.set(key, new Set([id]));
  }

  remove(key: string, id: string): void {
    const group = this.#groups.get(key);
    group?.delete(id);
    if (group?.size === 0) this.#groups.delete(key);
  }

  ids(key: string): Iterable<string> {
    return this.#groups.get(key) ?? [];
  }
}
