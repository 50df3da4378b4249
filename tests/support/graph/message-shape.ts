import { createHash } from 'node:crypto';

/**
 * Outlook messages as Graph represents them (PLATFORMS.md C5), what a test
 * delivers, and `$select`: only the selected properties come back, plus `id`
 * and `@odata.etag`; `internetMessageHeaders` comes only when selected.
 */

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

/** A recipient in Graph's shape, `{emailAddress: {address}}` (name optional), or just the address. */
export type RecipientInput = string | { emailAddress: { name?: string; address: string } };

export interface MessageHeader {
  name: string;
  value: string;
}

/** What a test delivers; all optional but `from` for received mail. The rest is filled in as Exchange would. */
export interface DeliverMessage {
  /** Default: a fresh Graph id (base64, `-`/`_` for `/`/`+`, ending in `=`). */
  id?: string;
  /** Required in the inbox; default the mailbox owner in sentitems. */
  from?: RecipientInput;
  /** Default: `from`. */
  sender?: RecipientInput;
  toRecipients?: RecipientInput[];
  ccRecipients?: RecipientInput[];
  bccRecipients?: RecipientInput[];
  replyTo?: RecipientInput[];
  subject?: string;
  /** The RFC 5322 Message-ID, with its angle brackets; default a fresh one on the sender's domain. */
  internetMessageId?: string;
  /** Default: a fresh conversation. */
  conversationId?: string;
  /** Default: the fake's clock now. */
  receivedDateTime?: Date | string;
  /** Default: receivedDateTime. */
  sentDateTime?: Date | string;
  /** Plain text; default the start of `body`. */
  bodyPreview?: string;
  /** Plain text; served as HTML unless `Prefer: outlook.body-content-type="text"`. */
  body?: string;
  internetMessageHeaders?: MessageHeader[];
  isRead?: boolean;
  isDraft?: boolean;
  hasAttachments?: boolean;
  importance?: 'low' | 'normal' | 'high';
  categories?: string[];
}

export interface StoredMessage {
  id: string;
  folderId: string;
  /** Every property Graph knows for the message, unprojected. */
  properties: Record<string, unknown>;
  bodyText: string;
  version: number;
}

/** The properties `$select` accepts, in the order Graph writes them. */
export const messageProperties = [
  'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'receivedDateTime', 'sentDateTime',
  'hasAttachments', 'internetMessageId', 'subject', 'bodyPreview', 'importance', 'parentFolderId',
  'conversationId', 'conversationIndex', 'isDeliveryReceiptRequested', 'isReadReceiptRequested', 'isRead',
  'isDraft', 'webLink', 'inferenceClassification', 'body', 'sender', 'from', 'toRecipients', 'ccRecipients',
  'bccRecipients', 'replyTo', 'flag', 'internetMessageHeaders', 'uniqueBody',
] as const;

const notByDefault = new Set(['internetMessageHeaders', 'uniqueBody']);
const canonical = new Map<string, string>([['id', 'id'], ...messageProperties.map((name) => [name.toLowerCase(), name] as [string, string])]);

export type SelectParse = { ok: true; fields: string[] | undefined } | { ok: false; unknown: string };

/** `$select=from,Subject` → canonical names; Graph matches property names case-insensitively. */
export function parseSelect(value: string | null | undefined): SelectParse {
  if (value === null || value === undefined || value.trim() === '') return { ok: true, fields: undefined };
  const fields: string[] = [];
  for (const raw of value.split(',')) {
    const name = canonical.get(raw.trim().toLowerCase());
    if (!name) return { ok: false, unknown: raw.trim() };
    if (!fields.includes(name)) fields.push(name);
  }
  return { ok: true, fields };
}

export function selectError(unknown: string): string {
  return `Could not find a property named '${unknown}' on type 'microsoft.graph.message'.`;
}

/** The message as Graph sends it: `@odata.etag`, `id`, then the selected (or default) properties. */
export function project(message: StoredMessage, fields: string[] | undefined, bodyType: 'html' | 'text'): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etag(message), id: message.id };
  for (const name of messageProperties) {
    if (fields ? !fields.includes(name) : notByDefault.has(name)) continue;
    if (name === 'body' || name === 'uniqueBody') out[name] = renderBody(message.bodyText, bodyType);
    else out[name] = message.properties[name] ?? null;
  }
  return out;
}

export function etag(message: StoredMessage): string {
  return `W/"${changeKey(message)}"`;
}

export interface BuildContext {
  id: string;
  folder: 'inbox' | 'sentitems';
  folderId: string;
  owner: EmailAddress;
  now: Date;
  seq: number;
}

/** The full property set for a delivered message, with Exchange's defaults. */
export function buildMessage(input: DeliverMessage, context: BuildContext): StoredMessage {
  const from = input.from !== undefined ? recipient(input.from) : context.folder === 'sentitems' ? { emailAddress: context.owner } : undefined;
  if (!from) throw new Error('deliver: give `from` for a received message (sentitems defaults it to the mailbox owner)');
  const received = iso(input.receivedDateTime ?? context.now);
  const bodyText = input.body ?? input.bodyPreview ?? '';
  const domain = from.emailAddress.address.split('@')[1] ?? 'mail.fake';
  const conversationId = input.conversationId ?? `AAQkAD${digest(`conversation:${context.id}`, 40)}=`;
  const internetMessageId = input.internetMessageId ?? `<${digest(`mid:${context.id}`, 24).replace(/[-_]/g, 'x')}@${domain}>`;
  const message: StoredMessage = { id: context.id, folderId: context.folderId, bodyText, version: 1, properties: {} };
  message.properties = {
    createdDateTime: received,
    lastModifiedDateTime: received,
    changeKey: changeKey(message),
    categories: input.categories ?? [],
    receivedDateTime: received,
    sentDateTime: iso(input.sentDateTime ?? input.receivedDateTime ?? context.now),
    hasAttachments: input.hasAttachments ?? false,
    internetMessageId,
    subject: input.subject ?? '',
    bodyPreview: input.bodyPreview ?? bodyText.replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: input.importance ?? 'normal',
    parentFolderId: context.folderId,
    conversationId,
    conversationIndex: Buffer.from(`${conversationId}:${context.seq}`).toString('base64').slice(0, 30),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: input.isRead ?? false,
    isDraft: input.isDraft ?? false,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(context.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    sender: input.sender === undefined ? from : recipient(input.sender),
    from,
    toRecipients: (input.toRecipients ?? []).map(recipient),
    ccRecipients: (input.ccRecipients ?? []).map(recipient),
    bccRecipients: (input.bccRecipients ?? []).map(recipient),
    replyTo: (input.replyTo ?? []).map(recipient),
    flag: { flagStatus: 'notFlagged' },
    internetMessageHeaders: input.internetMessageHeaders ?? defaultHeaders(input, from, received, internetMessageId),
  };
  return message;
}

export function recipient(input: RecipientInput): Recipient {
  if (typeof input === 'string') return { emailAddress: { name: input, address: input } };
  return { emailAddress: { name: input.emailAddress.name ?? input.emailAddress.address, address: input.emailAddress.address } };
}

/** A Graph-style item id: URL-safe base64 (`-`, `_`) that ends in `=`. */
export function graphId(prefix: string, name: string): string {
  const bytes = createHash('sha512').update(name).digest().subarray(0, 50);
  return `${prefix}${Buffer.concat([bytes, Buffer.from([0x00])]).toString('base64').replace(/\//g, '-').replace(/\+/g, '_')}`;
}

function changeKey(message: StoredMessage): string {
  return `CQAAABYAAA${digest(`${message.id}:${message.version}`, 30)}`;
}

function renderBody(text: string, type: 'html' | 'text'): { contentType: 'html' | 'text'; content: string } {
  if (type === 'text') return { contentType: 'text', content: text };
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>\r\n');
  return { contentType: 'html', content: `<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${escaped}</div></body></html>` };
}

function defaultHeaders(input: DeliverMessage, from: Recipient, received: string, messageId: string): MessageHeader[] {
  const list = (items: RecipientInput[] | undefined) => (items ?? []).map(recipient).map((r) => r.emailAddress.address).join(', ');
  const headers: MessageHeader[] = [
    { name: 'From', value: `${from.emailAddress.name} <${from.emailAddress.address}>` },
    { name: 'Subject', value: input.subject ?? '' },
    { name: 'Date', value: new Date(received).toUTCString().replace('GMT', '+0000') },
    { name: 'Message-ID', value: messageId },
  ];
  if (input.toRecipients?.length) headers.push({ name: 'To', value: list(input.toRecipients) });
  if (input.ccRecipients?.length) headers.push({ name: 'Cc', value: list(input.ccRecipients) });
  return headers;
}

/** Graph writes date-times in UTC without fractions: `2026-03-02T09:00:00Z`. */
function iso(value: Date | string): string {
  return new Date(value).toISOString().replace(/\.\d+Z$/, 'Z');
}

function digest(name: string, length: number): string {
  return createHash('sha256').update(name).digest('base64url').slice(0, length);
}
