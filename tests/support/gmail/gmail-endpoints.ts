import type { Clock } from '../../../src/clock.ts';
import { forbidden, invalidArgument, notFound, type GoogleErrorBody } from './google-errors.ts';
import { isMetadataOnly } from './google-oauth.ts';
import { asList, asOne } from './http.ts';
import type { Mailbox, StoredMessage } from './mailbox.ts';
import type { GmailMethod } from './quota.ts';
import { readMessage } from './mime.ts';
import { parseSearchQuery } from './search-query.ts';

/** The REST shapes of PLATFORMS.md B1, B3 and B4, over one mailbox. */

export interface GmailRoute {
  method: GmailMethod;
  userId: string;
  messageId?: string;
}

export interface GmailRequest {
  mailbox: Mailbox;
  scopes: string[];
  params: Record<string, string | string[]>;
  body: Record<string, any>;
  messageId?: string;
  /** Arrival order for a message the request adds (users.messages.send). */
  nextSeq: () => number;
}

export interface GmailAnswer {
  status: number;
  body: unknown;
}

const watchLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export function routeGmail(httpMethod: string, pathname: string): GmailRoute | undefined {
  const match = /^\/gmail\/v1\/users\/([^/]+)\/(.+)$/.exec(pathname);
  if (!match) return undefined;
  const userId = decodeURIComponent(match[1]!);
  const rest = match[2]!;
  if (httpMethod === 'GET' && rest === 'profile') return { method: 'users.getProfile', userId };
  if (httpMethod === 'POST' && rest === 'watch') return { method: 'users.watch', userId };
  if (httpMethod === 'POST' && rest === 'stop') return { method: 'users.stop', userId };
  if (httpMethod === 'GET' && rest === 'history') return { method: 'users.history.list', userId };
  if (httpMethod === 'GET' && rest === 'messages') return { method: 'users.messages.list', userId };
  if (httpMethod === 'POST' && rest === 'messages/send') return { method: 'users.messages.send', userId };
  const message = /^messages\/([^/]+)$/.exec(rest);
  if (httpMethod === 'GET' && message) return { method: 'users.messages.get', userId, messageId: decodeURIComponent(message[1]!) };
  return undefined;
}

export function answerGmail(method: GmailMethod, request: GmailRequest, clock: Clock): GmailAnswer {
  switch (method) {
    case 'users.getProfile':
      return ok({
        emailAddress: request.mailbox.address,
        messagesTotal: request.mailbox.messages.size,
        threadsTotal: request.mailbox.threadsTotal,
        historyId: String(request.mailbox.historyId),
      });
    case 'users.watch':
      return watch(request, clock);
    case 'users.stop':
      request.mailbox.watch = undefined;
      return { status: 204, body: undefined };
    case 'users.history.list':
      return listHistory(request);
    case 'users.messages.list':
      return listMessages(request, clock);
    case 'users.messages.get':
      return getMessage(request);
    case 'users.messages.send':
      return sendMessage(request, clock);
  }
}

function watch({ mailbox, body }: GmailRequest, clock: Clock): GmailAnswer {
  const topicName = typeof body.topicName === 'string' ? body.topicName : '';
  if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topicName)) return fail(400, invalidArgument('Invalid topicName does not match projects/SOME-PROJECT/topics/*'));
  const labelIds = Array.isArray(body.labelIds) ? body.labelIds.map(String) : [];
  const historyId = String(mailbox.historyId);
  const expiration = clock.now().getTime() + watchLifetimeMs;
  mailbox.watch = { topicName, labelIds, labelFilterBehavior: body.labelFilterBehavior ?? body.labelFilterAction, expiration, historyId };
  // The REST schema types both as int64-in-a-string (PLATFORMS.md B1).
  return ok({ historyId, expiration: String(expiration) });
}

function listHistory({ mailbox, params }: GmailRequest): GmailAnswer {
  const start = asOne(params.startHistoryId);
  if (start === undefined || !/^\d+$/.test(start)) return fail(400, invalidArgument('Missing/invalid parameter: startHistoryId'));
  const page = mailbox.listHistory({
    startHistoryId: Number(start),
    labelId: asOne(params.labelId),
    historyTypes: asList(params.historyTypes),
    maxResults: pageSize(params.maxResults),
    pageToken: asOne(params.pageToken),
  });
  if (page.ok) return ok(page.body);
  // An outdated startHistoryId is a 404 (PLATFORMS.md B3): the adapter must resync.
  return page.reason === 'expired' ? fail(404, notFound()) : fail(400, invalidArgument('Invalid pageToken'));
}

function listMessages({ mailbox, params, scopes }: GmailRequest, clock: Clock): GmailAnswer {
  const q = asOne(params.q);
  if (q !== undefined && q !== '' && isMetadataOnly(scopes)) return fail(403, forbidden("Metadata scope does not support 'q' parameter"));
  const query = parseSearchQuery(q ?? '', clock.now());
  if (!query.ok) return fail(400, invalidArgument(query.error));
  const page = mailbox.listMessages({
    matches: query.matches,
    labelIds: asList(params.labelIds),
    maxResults: pageSize(params.maxResults),
    pageToken: asOne(params.pageToken),
  });
  return page.ok ? ok(page.body) : fail(400, invalidArgument('Invalid pageToken'));
}

function getMessage({ mailbox, params, scopes, messageId }: GmailRequest): GmailAnswer {
  const format = (asOne(params.format) ?? 'full').toLowerCase();
  if (!['minimal', 'metadata', 'full', 'raw'].includes(format)) return fail(400, invalidArgument(`Invalid value at 'format' (${format})`));
  if ((format === 'full' || format === 'raw') && isMetadataOnly(scopes)) {
    return fail(403, forbidden(`Metadata scope doesn't allow format ${format.toUpperCase()}`));
  }
  const message = mailbox.messages.get(messageId ?? '');
  if (!message) return fail(404, notFound());
  const resource: Record<string, unknown> = {
    id: message.id,
    threadId: message.threadId,
    labelIds: message.labelIds,
    snippet: message.snippet,
    sizeEstimate: message.sizeEstimate,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate),
  };
  if (format === 'metadata') {
    const wanted = asList(params.metadataHeaders).map((name) => name.toLowerCase());
    // Only the asked-for headers come back, matched case-insensitively (PLATFORMS.md B4).
    const headers = wanted.length === 0 ? message.headers : message.headers.filter((h) => wanted.includes(h.name.toLowerCase()));
    resource.payload = { mimeType: 'text/plain', headers };
  }
  if (format === 'full') resource.payload = { partId: '', mimeType: 'text/plain', filename: '', headers: message.headers, body: { size: 0 } };
  if (format === 'raw') resource.raw = Buffer.from(rawMessage(message)).toString('base64url');
  return ok(resource);
}

/**
 * users.messages.send with `raw`, a base64url RFC 2822 message: Gmail adds a
 * Message-ID and a Date, puts the account's own address in From when the
 * message names another, and files it as SENT (a messageAdded history record).
 */
function sendMessage({ mailbox, body, nextSeq }: GmailRequest, clock: Clock): GmailAnswer {
  if (typeof body.raw !== 'string' || body.raw === '') {
    return fail(400, invalidArgument("'raw' RFC822 payload message string or uploading message via /upload/* URL required"));
  }
  const message = readMessage(Buffer.from(body.raw, 'base64url').toString('utf8'));
  const to = message.header('to');
  if (!to && !message.header('cc') && !message.header('bcc')) return fail(400, invalidArgument('Recipient address required'));
  const seq = nextSeq();
  const id = (0x19a0000000000000n + BigInt(seq) * 0x2b5n).toString(16);
  const givenFrom = message.header('from') ?? '';
  const from = givenFrom.toLowerCase().includes(mailbox.address) ? givenFrom : mailbox.address;
  const now = clock.now().getTime();
  const headers = [
    ...message.headers.filter((h) => h.name.toLowerCase() !== 'from'),
    { name: 'From', value: from },
    { name: 'Date', value: new Date(now).toUTCString().replace('GMT', '+0000') },
    { name: 'Message-ID', value: `<${id}@mail.gmail.fake>` },
  ];
  const snippet = (message.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
  const stored = mailbox.add({ id, threadId: typeof body.threadId === 'string' ? body.threadId : id, labelIds: ['SENT'], internalDate: now, headers, snippet, seq, sizeEstimate: body.raw.length });
  mailbox.sent.push({ id, from, to: to ?? '', subject: message.header('subject') ?? '', text: message.text, html: message.html });
  return ok({ id: stored.id, threadId: stored.threadId, labelIds: stored.labelIds });
}

function pageSize(value: string | string[] | undefined): number {
  const requested = Number(asOne(value) ?? 100);
  return Number.isInteger(requested) && requested > 0 ? Math.min(requested, 500) : 100;
}

function rawMessage(message: StoredMessage): string {
  return `${message.headers.map((h) => `${h.name}: ${h.value}`).join('\r\n')}\r\n\r\n`;
}

function ok(body: unknown): GmailAnswer {
  return { status: 200, body };
}

function fail(status: number, body: GoogleErrorBody): GmailAnswer {
  return { status, body };
}
