import type { Clock } from '../../../src/clock.ts';
import type { Recording } from '../recording.ts';
import { answerDelta } from './delta.ts';
import { graphError } from './graph-errors.ts';
import type { Route } from './graph-routes.ts';
import { appObjectId, shortScope, type Grant, type MicrosoftUser } from './identity.ts';
import type { OutlookMailbox } from './mailbox.ts';
import { buildMessage, graphId, parseSelect, project, selectError } from './message-shape.ts';
import { checkCreate, checkExpiration, type HeldSubscription, type SubscriptionStore } from './subscriptions.ts';
import { validateEndpoint, type Handshake } from './webhook-client.ts';

/** Microsoft Graph v1.0 as the fake serves it: users, one message, message delta, subscriptions. */

export interface GraphContext {
  clock: Clock;
  origin: string;
  mailboxByRef: (ref: string) => OutlookMailbox | undefined;
  subscriptions: SubscriptionStore;
  handshakes: Recording<Handshake>;
  maxSubscriptionMinutes: number;
  validationTimeoutMs: number;
}

export interface GraphRequest {
  route: Extract<Route, { kind: 'graph' }>;
  url: URL;
  body: Record<string, unknown>;
  prefer: string | undefined;
  grant: Grant;
}

export interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The mailbox the request was about, for the call record. */
  mailbox?: string;
}

const mailPermissions = ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite', 'Mail.ReadBasic.All'];
/** Application permissions that let an app read a user of the directory (user-get.md). */
const userPermissions = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

export type Target = { ok: true; mailbox: OutlookMailbox } | { ok: false; answer: GraphAnswer };

/** Whose mailbox `me` or `users/{id}` names, and whether this token may read its mail. */
export function resolveTarget(context: GraphContext, grant: Grant, userRef: string, forMail: boolean): Target {
  const now = context.clock.now();
  const refuse = (status: number, code: string, message: string): Target => ({ ok: false, answer: { status, body: graphError(code, message, now) } });
  let mailbox: OutlookMailbox | undefined;
  if (userRef === 'me') {
    if (grant.kind === 'app') return refuse(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    mailbox = context.mailboxByRef(grant.user.id);
  } else {
    mailbox = context.mailboxByRef(userRef);
    if (!mailbox) {
      return forMail
        ? refuse(404, 'ErrorInvalidUser', `The requested user '${userRef}' is invalid.`)
        : refuse(404, 'Request_ResourceNotFound', `Resource '${userRef}' does not exist or one of its queried reference-property objects are not present.`);
    }
  }
  if (!mailbox) return refuse(404, 'ErrorInvalidUser', 'The mailbox of the signed-in user is not in the Graph fake: call fake.addMailbox first.');
  if (!forMail && grant.kind === 'app' && !grant.roles.some((role) => userPermissions.includes(role))) {
    return refuse(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  if (forMail && mailbox.onPremises) return refuse(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  if (forMail) {
    const granted = grant.kind === 'app' ? grant.roles : grant.scopes.map(shortScope);
    const own = grant.kind === 'app' || grant.user.id === mailbox.user.id;
    if (!own || !granted.some((p) => mailPermissions.includes(p))) return refuse(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
  return { ok: true, mailbox };
}

export async function answerGraph(context: GraphContext, request: GraphRequest): Promise<GraphAnswer> {
  const { route, grant } = request;
  const now = context.clock.now();
  const fail = (status: number, code: string, message: string, mailbox?: string): GraphAnswer => ({ status, body: graphError(code, message, now), mailbox });

  if (route.method === 'users.get' || route.method === 'messages.get' || route.method === 'messages.delta') {
    const target = resolveTarget(context, grant, route.userRef!, route.method !== 'users.get');
    if (!target.ok) return target.answer;
    const mailbox = target.mailbox;
    const address = mailbox.user.address;
    if (route.method === 'users.get') return { status: 200, body: userJson(context.origin, mailbox.user, request.url.searchParams.get('$select')), mailbox: address };
    const bodyType = /outlook\.body-content-type\s*=\s*"?text"?/i.test(request.prefer ?? '') ? 'text' : 'html';
    const applied: Record<string, string> = bodyType === 'text' ? { 'Preference-Applied': 'outlook.body-content-type="text"' } : {};
    if (route.method === 'messages.get') {
      const entry = mailbox.present(route.messageId!);
      if (!entry) return fail(404, 'ErrorItemNotFound', 'The specified object was not found in the store.', address);
      const select = parseSelect(request.url.searchParams.get('$select'));
      if (!select.ok) return fail(400, 'RequestBroker--ParseUri', selectError(select.unknown), address);
      const set = select.fields ? `(${select.fields.join(',')})` : '';
      const body = {
        '@odata.context': `${context.origin}/v1.0/$metadata#users('${encodeURIComponent(route.userRef!)}')/messages${set}/$entity`,
        ...project(entry.message, select.fields, bodyType),
      };
      return { status: 200, body, headers: applied, mailbox: address };
    }
    const folder = mailbox.folderOf(route.folderRef!);
    if (!folder) return fail(400, 'ErrorInvalidIdMalformed', 'Id is malformed.', address);
    const delta = answerDelta(mailbox, {
      folder, params: request.url.searchParams, prefer: request.prefer, bodyType, now,
      linkBase: `${context.origin}${route.linkPath!}`, origin: context.origin,
    });
    return { status: delta.status, body: delta.body, headers: { ...delta.headers, ...applied }, mailbox: address };
  }
  if (route.method === 'users.sendMail') return sendMail(context, request, fail);
  return answerSubscriptions(context, request, fail);
}

/**
 * POST /me/sendMail or /users/{id}/sendMail (user-sendmail.md): needs Mail.Send,
 * delegated for one's own mailbox or as the app's role for any; answers 202
 * with no body, and files a copy in Sent Items unless saveToSentItems is false.
 */
function sendMail(context: GraphContext, request: GraphRequest, fail: (s: number, c: string, m: string, mb?: string) => GraphAnswer): GraphAnswer {
  const { route, grant, body } = request;
  const target = resolveTarget(context, grant, route.userRef!, false);
  if (!target.ok) return target.answer;
  const mailbox = target.mailbox;
  const address = mailbox.user.address;
  const granted = grant.kind === 'app' ? grant.roles : grant.scopes.map(shortScope);
  const own = grant.kind === 'app' || grant.user.id === mailbox.user.id;
  if (!own || !granted.includes('Mail.Send')) return fail(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.', address);
  const message = body['message'] as Record<string, any> | undefined;
  if (!message || typeof message !== 'object') return fail(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.", address);
  const recipients: unknown[] = [...(message.toRecipients ?? []), ...(message.ccRecipients ?? []), ...(message.bccRecipients ?? [])];
  const addresses = recipients.map((r) => (r as { emailAddress?: { address?: unknown } }).emailAddress?.address);
  if (addresses.length === 0) return fail(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., A message can\'t be sent because it contains no recipients.', address);
  if (addresses.some((a) => typeof a !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(a))) return fail(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.', address);
  const contentType = String(message.body?.contentType ?? 'text').toLowerCase() === 'html' ? 'html' : 'text';
  const content = String(message.body?.content ?? '');
  const subject = String(message.subject ?? '');
  mailbox.sent.push({ from: address, to: addresses as string[], subject, contentType, content });
  if (body['saveToSentItems'] !== false && body['saveToSentItems'] !== 'false') {
    const seq = mailbox.nextSeq();
    const stored = buildMessage(
      { subject, toRecipients: message.toRecipients ?? [], ccRecipients: message.ccRecipients ?? [], body: content.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() },
      { id: graphId('AAMkAD', `${mailbox.user.id}:sent:${seq}`), folder: 'sentitems', folderId: mailbox.folderIds.sentitems, now: context.clock.now(), seq, owner: { name: mailbox.user.displayName, address } },
    );
    mailbox.add(stored, 'sentitems');
  }
  return { status: 202, body: undefined, mailbox: address };
}

async function answerSubscriptions(context: GraphContext, request: GraphRequest, fail: (s: number, c: string, m: string, mb?: string) => GraphAnswer): Promise<GraphAnswer> {
  const { route, grant, body } = request;
  const now = context.clock.now();
  const applicationId = grant.clientId;
  const creatorId = grant.kind === 'app' ? appObjectId(grant.clientId) : grant.user.id;
  const visible = (held: HeldSubscription) => held.subscription.applicationId === applicationId && (grant.kind === 'app' || held.subscription.creatorId === creatorId);
  const entity = (held: HeldSubscription) => ({ '@odata.context': `${context.origin}/v1.0/$metadata#subscriptions/$entity`, ...held.subscription });

  if (route.method === 'subscriptions.create') {
    const checked = checkCreate(body, now, context.maxSubscriptionMinutes);
    if (!checked.ok) return fail(400, checked.code, checked.message);
    const request = checked.value;
    const target = resolveTarget(context, grant, request.userRef, true);
    if (!target.ok) {
      if (target.answer.status !== 403) return target.answer;
      return fail(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]');
    }
    const mailbox = target.mailbox;
    const folder = request.folderRef === undefined ? undefined : mailbox.folderOf(request.folderRef);
    if (request.folderRef !== undefined && !folder) return fail(400, 'ExtensionError', `Operation: Create; Exception: [Status Code: BadRequest; Reason: Id is malformed.]`);
    // Graph checks each URL before it stores anything (PLATFORMS.md C2).
    for (const url of [request.notificationUrl, request.lifecycleNotificationUrl]) {
      if (url === undefined) continue;
      const handshake = await validateEndpoint(url, context.validationTimeoutMs, now);
      context.handshakes.add(handshake);
      if (!handshake.ok) return fail(400, 'InvalidRequest', handshakeRefusal(handshake), mailbox.user.address);
    }
    const held = context.subscriptions.add(request, mailbox.user.id, folder, applicationId, creatorId);
    return { status: 201, body: entity(held), mailbox: mailbox.user.address };
  }
  if (route.method === 'subscriptions.list') {
    const value = context.subscriptions.live().filter(visible).map((held) => held.subscription);
    return { status: 200, body: { '@odata.context': `${context.origin}/v1.0/$metadata#subscriptions`, value } };
  }
  const held = context.subscriptions.get(route.subscriptionId!);
  if (!held || !visible(held)) return fail(404, 'ResourceNotFound', `The object was not found.`);
  const address = context.mailboxByRef(held.userId)?.user.address;
  switch (route.method) {
    case 'subscriptions.get':
      return { status: 200, body: entity(held), mailbox: address };
    case 'subscriptions.update': {
      const other = Object.keys(body).find((key) => key !== 'expirationDateTime' && key !== '@odata.type');
      if (other) return fail(400, 'InvalidRequest', `Only expirationDateTime can be updated by the Graph fake, not '${other}'.`, address);
      const expiry = checkExpiration(body.expirationDateTime, now, context.maxSubscriptionMinutes);
      if (!expiry.ok) return fail(400, expiry.code, expiry.message, address);
      return { status: 200, body: entity(context.subscriptions.renew(held.subscription.id, expiry.value)!), mailbox: address };
    }
    case 'subscriptions.delete':
      context.subscriptions.delete(held.subscription.id);
      return { status: 204, body: undefined, mailbox: address };
    default:
      return { status: 204, body: undefined, mailbox: address };
  }
}

/** What Graph says when the handshake fails (its words; the handshake record says why). */
function handshakeRefusal(handshake: Handshake): string {
  if (handshake.status !== 0 && handshake.status !== 200) {
    return `Subscription validation request failed. HTTP status code is '${httpStatusName(handshake.status)}'.`;
  }
  if (handshake.status === 200) return 'Subscription validation request failed. Response must exactly match validationToken query parameter.';
  return 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.';
}

function httpStatusName(status: number): string {
  const names: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable' };
  return names[status] ?? String(status);
}

function userJson(origin: string, user: MicrosoftUser, select: string | null): Record<string, unknown> {
  const [given, ...rest] = user.displayName.split(' ');
  const all: Record<string, unknown> = {
    businessPhones: [], displayName: user.displayName, givenName: given ?? null, jobTitle: null, mail: user.address,
    mobilePhone: null, officeLocation: null, preferredLanguage: null, surname: rest.join(' ') || null,
    userPrincipalName: user.address, id: user.id,
  };
  const fields = select ? select.split(',').map((f) => f.trim()) : undefined;
  const picked = fields ? Object.fromEntries(Object.entries(all).filter(([key]) => fields.some((f) => f.toLowerCase() === key.toLowerCase()))) : all;
  return { '@odata.context': `${origin}/v1.0/$metadata#users${fields ? `(${fields.join(',')})` : ''}/$entity`, ...picked };
}

