import { graphError, syncStateNotFound, type GraphErrorBody } from './graph-errors.ts';
import type { FolderName, OutlookMailbox } from './mailbox.ts';
import { parseSelect, project, selectError } from './message-shape.ts';

/**
 * The messages delta query on one folder (PLATFORMS.md C6): a first round
 * lists the folder, later rounds list what changed since the deltaLink was
 * issued. Links are absolute https URLs (the Graph client treats an http one as
 * a relative path, C8). Tokens carry their whole state, base64url JSON, and go
 * stale when the test calls `expireDelta`.
 */

interface DeltaState {
  /** Folder. */
  f: FolderName;
  /** Change-log position the round starts after; null in a first round. */
  since: number | null;
  /** Position the round reads up to (skip tokens only). */
  upTo?: number;
  /** Items already served in this round (skip tokens only). */
  off?: number;
  sel?: string[];
  /** Page size asked for by the first request. */
  ps?: number;
  /** `$filter=receivedDateTime ge|gt …`: [strict, epoch ms]. */
  rf?: [boolean, number];
  /** `changeType=` values. */
  ct?: string[];
  /** The mailbox's deltaEpoch at issue. */
  e: number;
}

export interface DeltaRequest {
  folder: FolderName;
  params: URLSearchParams;
  prefer: string | undefined;
  bodyType: 'html' | 'text';
  /** `https://127.0.0.1:PORT/v1.0/<path up to /messages/delta>` as requested, for the links. */
  linkBase: string;
  origin: string;
  now: Date;
}

export type DeltaAnswer = { status: number; body: Record<string, unknown> | GraphErrorBody; headers: Record<string, string> };

// Outlook's page size for message delta when the app does not ask for one.
const defaultPageSize = 10;

export function answerDelta(mailbox: OutlookMailbox, request: DeltaRequest): DeltaAnswer {
  const { params, now } = request;
  const bad = (message: string, code = 'BadRequest'): DeltaAnswer => ({ status: 400, body: graphError(code, message, now), headers: {} });
  const token = params.get('$skiptoken') ?? params.get('$deltatoken');
  let state: DeltaState;
  if (token !== null) {
    const decoded = decode(token);
    if (!decoded || decoded.f !== request.folder) return bad('The delta token or skip token is not valid for this request.');
    if (decoded.e < mailbox.deltaEpoch) return { status: 410, body: syncStateNotFound(now), headers: {} };
    state = decoded;
  } else {
    const select = parseSelect(params.get('$select'));
    if (!select.ok) return bad(selectError(select.unknown), 'RequestBroker--ParseUri');
    state = { f: request.folder, since: null, e: mailbox.deltaEpoch };
    if (select.fields) state.sel = select.fields;
    const filter = params.get('$filter');
    if (filter !== null) {
      const match = /^\s*receivedDateTime\s+(ge|gt)\s+'?([0-9T:.Z+-]+)'?\s*$/i.exec(filter);
      const at = match ? Date.parse(match[2]!) : NaN;
      if (!match || Number.isNaN(at)) return bad('The query filter contains one or more invalid nodes.', 'ErrorInvalidUrlQueryFilter');
      state.rf = [match[1]!.toLowerCase() === 'gt', at];
    }
    const changeType = params.get('changeType');
    if (changeType !== null) {
      const types = changeType.split(',').map((t) => t.trim().toLowerCase());
      if (types.some((t) => !['created', 'updated', 'deleted'].includes(t))) return bad(`Invalid changeType '${changeType}'.`);
      state.ct = types;
    }
    const top = params.get('$top');
    if (top !== null) {
      if (!/^\d+$/.test(top) || Number(top) < 1) return bad(`Invalid $top value '${top}'.`);
      state.ps = Number(top);
    }
  }

  const asked = /odata\.maxpagesize=(\d+)/i.exec(request.prefer ?? '')?.[1];
  const pageSize = Math.max(1, Number(asked ?? state.ps ?? defaultPageSize));
  if (asked !== undefined) state.ps = Number(asked);
  const upTo = state.upTo ?? mailbox.seq;
  const offset = state.off ?? 0;
  const items = roundItems(mailbox, state, upTo, request.bodyType);
  const page = items.slice(offset, offset + pageSize);

  const body: Record<string, unknown> = { '@odata.context': `${request.origin}/v1.0/$metadata#Collection(message)` };
  if (offset + pageSize < items.length) {
    body['@odata.nextLink'] = `${request.linkBase}/messages/delta?$skiptoken=${encode({ ...state, upTo, off: offset + pageSize })}`;
  } else {
    const next: DeltaState = { ...state, since: upTo };
    delete next.upTo;
    delete next.off;
    body['@odata.deltaLink'] = `${request.linkBase}/messages/delta?$deltatoken=${encode(next)}`;
  }
  body.value = page;
  return { status: 200, body, headers: asked === undefined ? {} : { 'Preference-Applied': `odata.maxpagesize=${asked}` } };
}

function roundItems(mailbox: OutlookMailbox, state: DeltaState, upTo: number, bodyType: 'html' | 'text'): Record<string, unknown>[] {
  const passes = (receivedDateTime: unknown) => {
    if (!state.rf) return true;
    const at = Date.parse(String(receivedDateTime));
    return state.rf[0] ? at > state.rf[1] : at >= state.rf[1];
  };
  const item = (entry: { message: Parameters<typeof project>[0] }) => ({ '@odata.type': '#microsoft.graph.message', ...project(entry.message, state.sel, bodyType) });
  if (state.since === null) {
    return mailbox.snapshot(state.f, upTo).filter((e) => passes(e.message.properties.receivedDateTime)).map(item);
  }
  const wanted = (kind: string) => !state.ct || state.ct.includes(kind);
  return mailbox
    .changes(state.f, state.since, upTo)
    .filter((c) => (c.removed ? wanted('deleted') : wanted(c.created ? 'created' : 'updated')))
    .filter((c) => c.removed || passes(c.entry.message.properties.receivedDateTime))
    .map((c) => (c.removed ? { '@odata.type': '#microsoft.graph.message', id: c.entry.message.id, '@removed': { reason: 'deleted' } } : item(c.entry)));
}

function encode(state: DeltaState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decode(token: string): DeltaState | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const state = value as DeltaState;
    return typeof state.f === 'string' && typeof state.e === 'number' && (state.since === null || typeof state.since === 'number') ? state : undefined;
  } catch {
    return undefined;
  }
}
