import type { z } from 'zod';

/** True only if the schema would accept `value` and return it unchanged. */
export type FastCheck = (value: unknown) => boolean;

/**
 * The parts of zod 4's schema internals (`schema._zod`, its documented
 * surface for library authors) that the checker reads.
 */
interface Node {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly checks?: readonly Check[];
      readonly coerce?: boolean;
      readonly shape?: Readonly<Record<string, Node>>;
      readonly innerType?: Node;
      readonly element?: Node;
      readonly entries?: Readonly<Record<string, unknown>>;
    };
    readonly traits: ReadonlySet<string>;
    readonly run: (payload: Payload, ctx: { async: false }) => Payload;
  };
}

interface Check {
  readonly _zod: {
    readonly def: { readonly check: string; readonly minimum?: number; readonly when?: (payload: Payload) => boolean };
    readonly check: (payload: Payload) => unknown;
  };
}

interface Payload {
  value: unknown;
  issues: unknown[];
}

/** Checks run one at a time, synchronously, so one payload serves them all without allocating. */
const shared: Payload = { value: undefined, issues: [] };
const syncContext = { async: false } as const;

/**
 * Compiles a schema into a check that proves, for the common case of a record
 * as the store writes it, that zod would accept the value as it is: every key
 * of every object present in the schema's order and no other, every string
 * passing the schema's own checks (zod's check functions are called, so their
 * rules are zod's). A record that passes can be kept as parsed, where zod
 * would have built a copy; anything else (a missing default, another key
 * order, an invalid value, a kind of schema not handled here) fails, and the
 * caller asks zod, which then also words the problem.
 */
export function compileFastCheck(schema: z.ZodType): FastCheck {
  return compile(schema as unknown as Node);
}

function compile(node: Node): FastCheck {
  const def = node._zod.def;
  switch (def.type) {
    case 'object':
      return def.checks?.length ? viaZod(node) : objectCheck(def.shape ?? {});
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'optional': {
      // Present: an absent optional key is the object check's to allow.
      const inner = compile(def.innerType!);
      return (value) => value !== undefined && inner(value);
    }
    case 'default': {
      // Present (JSON has no undefined), so the default does not apply.
      const inner = compile(def.innerType!);
      return (value) => value !== undefined && inner(value);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return def.checks?.length ? viaZod(node) : (value) => values.has(value);
    }
    case 'array': {
      const element = compile(def.element!);
      const checks = checksOf(node);
      return (value) => Array.isArray(value) && value.every(element) && passes(checks, value);
    }
    case 'string': {
      if (def.coerce) return viaZod(node);
      const checks = checksOf(node);
      return (value) => typeof value === 'string' && passes(checks, value);
    }
    default:
      return viaZod(node);
  }
}

/** Keys in the schema's order; an optional key may be absent (zod then leaves it out too). */
function objectCheck(shape: Readonly<Record<string, Node>>): FastCheck {
  const keys = Object.keys(shape);
  const fields = keys.map((key) => compile(shape[key]!));
  const optional = keys.map((key) => shape[key]!._zod.def.type === 'optional');
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    let i = 0;
    for (const key in value) {
      while (i < keys.length && key !== keys[i] && optional[i]) i++;
      if (key !== keys[i] || !fields[i]!((value as Record<string, unknown>)[key])) return false;
      i++;
    }
    while (i < keys.length && optional[i]) i++;
    return i === keys.length;
  };
}

/** A string format (a datetime, a URL) is a check itself, run before the checks chained on it, as zod does. */
function checksOf(node: Node): readonly Check[] {
  const own = node._zod.def.checks ?? [];
  return node._zod.traits.has('$ZodCheck') ? [node as unknown as Check, ...own] : own;
}

function passes(checks: readonly Check[], value: unknown): boolean {
  for (const check of checks) {
    const { def } = check._zod;
    // A string twice as long as a minimum in code points has at least that many, however zod counts.
    if (def.check === 'min_length' && typeof value === 'string' && value.length >= 2 * (def.minimum ?? Infinity)) continue;
    shared.value = value;
    shared.issues.length = 0;
    if (def.when && !def.when(shared)) continue;
    const pending = check._zod.check(shared);
    if (pending !== undefined || shared.issues.length > 0 || shared.value !== value) return false;
  }
  return true;
}

/** Any other kind of schema: zod itself, accepted only if it hands back the very value it was given. */
function viaZod(node: Node): FastCheck {
  return (value) => {
    const result = node._zod.run({ value, issues: [] }, syncContext);
    return !(result instanceof Promise) && result.issues.length === 0 && result.value === value;
  };
}
