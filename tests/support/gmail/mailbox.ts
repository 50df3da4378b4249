import { decodePageToken, encodePageToken } from './http.ts';

export interface GmailHeader {
  name: string;
  value: string;
}

/** What a test delivers. Only `headers` is required; the rest is filled in as Gmail would. */
export interface DeliverMessage {
  /** Gmail's message id (16 hex digits); default a fresh one, unique across the fake. */
  id?: string;
  /** Default: the message's own id (a new thread). */
  threadId?: string;
  /** `INBOX` for received, `SENT` for sent mail; default `['INBOX']`. */
  labelIds?: string[];
  /** Default: the fake's clock now. */
  internalDate?: Date | number;
  /**
   * From, To, Cc, Subject, Message-ID, Date, List-Unsubscribe, Precedence,
   * Auto-Submitted, … An object gets `Message-ID` and `Date` added when
   * missing; an array is taken verbatim (repeat a name, or leave one out).
   */
  headers: Record<string, string> | GmailHeader[];
  snippet?: string;
  sizeEstimate?: number;
}

export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** Epoch ms. */
  internalDate: number;
  headers: GmailHeader[];
  snippet: string;
  sizeEstimate: number;
  /** The history record that last changed the message. */
  historyId: number;
  /** Arrival order, breaking ties between equal internalDates. */
  seq: number;
}

/** A message sent through the API, as the recipient would read it. */
export interface SentMessage {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
}

type ChangeType = 'messageAdded' | 'messageDeleted';

interface HistoryRecord {
  id: number;
  type: ChangeType;
  message: { id: string; threadId: string; labelIds: string[] };
}

export type HistoryPage =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; reason: 'expired' | 'badToken' };

export type MessagePage = { ok: true; body: Record<string, unknown> } | { ok: false; reason: 'badToken' };

export interface Watch {
  topicName: string;
  labelIds: string[];
  labelFilterBehavior: string | undefined;
  /** Epoch ms. */
  expiration: number;
  historyId: string;
}

/**
 * One Gmail mailbox: its messages and the history log of their arrival and
 * removal. History ids rise by uneven steps, as Gmail's do (PLATFORMS.md B3),
 * so an adapter that assumes `+1` fails here too.
 */
export class Mailbox {
  readonly address: string;
  readonly messages = new Map<string, StoredMessage>();
  /** What users.messages.send sent from this mailbox, read as a mail client reads it, with the id it got. */
  readonly sent: SentMessage[] = [];
  watch: Watch | undefined;
  readonly #history: HistoryRecord[] = [];
  #historyId: number;
  #retainedFrom: number;
  #changes = 0;

  constructor(address: string, firstHistoryId: number) {
    this.address = address;
    this.#historyId = firstHistoryId;
    this.#retainedFrom = firstHistoryId;
  }

  get historyId(): number {
    return this.#historyId;
  }

  add(message: Omit<StoredMessage, 'historyId'>): StoredMessage {
    if (this.messages.has(message.id)) throw new Error(`${this.address} already holds message ${message.id}`);
    const stored = { ...message, historyId: this.#record('messageAdded', message) };
    this.messages.set(stored.id, stored);
    return stored;
  }

  remove(id: string): void {
    const message = this.messages.get(id);
    if (!message) throw new Error(`${this.address} holds no message ${id}`);
    this.messages.delete(id);
    this.#record('messageDeleted', message);
  }

  /** From now on a `startHistoryId` below `historyId` answers 404, as when Google has dropped that history. */
  expireHistoryBefore(historyId: number): void {
    this.#retainedFrom = Math.max(this.#retainedFrom, historyId);
    const kept = this.#history.filter((record) => record.id >= this.#retainedFrom);
    this.#history.splice(0, this.#history.length, ...kept);
  }

  listHistory(query: { startHistoryId: number; labelId?: string; historyTypes: string[]; maxResults: number; pageToken?: string }): HistoryPage {
    if (query.startHistoryId < this.#retainedFrom) return { ok: false, reason: 'expired' };
    const after = decodePageToken(query.pageToken, (value): value is number => typeof value === 'number');
    if (after === 'invalid') return { ok: false, reason: 'badToken' };
    const matching = this.#history.filter(
      (record) =>
        record.id > Math.max(query.startHistoryId, after ?? 0) &&
        (query.historyTypes.length === 0 || query.historyTypes.includes(record.type)) &&
        (query.labelId === undefined || record.message.labelIds.includes(query.labelId)),
    );
    const page = matching.slice(0, query.maxResults);
    const body: Record<string, unknown> = {};
    if (page.length > 0) body.history = page.map(historyEntry);
    if (matching.length > page.length) body.nextPageToken = encodePageToken(page.at(-1)!.id);
    body.historyId = String(this.#historyId);
    return { ok: true, body };
  }

  /** Newest first, as Gmail lists; the page token marks the last message returned, so new arrivals do not shift pages. */
  listMessages(query: { matches: (message: StoredMessage) => boolean; labelIds: string[]; maxResults: number; pageToken?: string }): MessagePage {
    const after = decodePageToken(query.pageToken, (value): value is [number, number] => Array.isArray(value) && value.length === 2);
    if (after === 'invalid') return { ok: false, reason: 'badToken' };
    const matching = [...this.messages.values()]
      .filter((message) => query.labelIds.every((label) => message.labelIds.includes(label)) && query.matches(message))
      .sort(newestFirst);
    const start = after === undefined ? matching : matching.filter((message) => newestFirst(message, { internalDate: after[0], seq: after[1] }) > 0);
    const page = start.slice(0, query.maxResults);
    const body: Record<string, unknown> = {};
    if (page.length > 0) body.messages = page.map((message) => ({ id: message.id, threadId: message.threadId }));
    if (start.length > page.length) body.nextPageToken = encodePageToken([page.at(-1)!.internalDate, page.at(-1)!.seq]);
    body.resultSizeEstimate = matching.length;
    return { ok: true, body };
  }

  get threadsTotal(): number {
    return new Set([...this.messages.values()].map((message) => message.threadId)).size;
  }

  #record(type: ChangeType, message: Omit<StoredMessage, 'historyId'>): number {
    // Uneven steps of 2 to 6: increasing, never contiguous.
    this.#historyId += 2 + (this.#changes++ % 5);
    this.#history.push({ id: this.#historyId, type, message: { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] } });
    return this.#historyId;
  }
}

function newestFirst(a: { internalDate: number; seq: number }, b: { internalDate: number; seq: number }): number {
  return b.internalDate - a.internalDate || b.seq - a.seq;
}

function historyEntry(record: HistoryRecord): Record<string, unknown> {
  const ref = { id: record.message.id, threadId: record.message.threadId };
  const key = record.type === 'messageAdded' ? 'messagesAdded' : 'messagesDeleted';
  return { id: String(record.id), messages: [ref], [key]: [{ message: { ...ref, labelIds: record.message.labelIds } }] };
}
