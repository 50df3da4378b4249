/**
 * Ids grouped by a key, such as contacts by customer; groups keep insertion
 * order. A group of one is kept as the bare id, since most are (a message id
 * is on one timeline), which saves a Set per key at a million records.
 */
export class GroupIndex {
  readonly #groups = new Map<string, string | Set<string>>();

  add(key: string, id: string): void {
    const group = this.#groups.get(key);
    if (group === undefined) this.#groups.set(key, id);
    else if (typeof group !== 'string') group.add(id);
    else if (group !== id) this.#groups.set(key, new Set([group, id]));
  }

  remove(key: string, id: string): void {
    const group = this.#groups.get(key);
    if (group === id) this.#groups.delete(key);
    else if (typeof group === 'object') {
      group.delete(id);
      if (group.size === 0) this.#groups.delete(key);
    }
  }

  ids(key: string): Iterable<string> {
    const group = this.#groups.get(key);
    return group === undefined ? [] : typeof group === 'string' ? [group] : group;
  }
}
