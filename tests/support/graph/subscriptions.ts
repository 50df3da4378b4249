import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/clock.ts';
import type { FolderName, MailboxEntry } from './mailbox.ts';
import { etag } from './message-shape.ts';

/**
 * Graph subscriptions on Outlook messages (PLATFORMS.md C1): what a create
 * or renew must carry, the stored subscription, and the bodies of change
 * (C3) and lifecycle (C4) notifications. Expiry follows the injected clock: a
 * lapsed subscription is gone (404, and no notifications).
 */

export type ChangeType = 'created' | 'updated' | 'deleted';
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface Subscription {
  id: string;
  resource: string;
  applicationId: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  notificationQueryOptions: null;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  creatorId: string;
  includeResourceData: boolean;
  latestSupportedTlsVersion: string;
  encryptionCertificate: null;
  encryptionCertificateId: null;
  notificationUrlAppId: null;
}

export interface HeldSubscription {
  subscription: Subscription;
  /** The user whose mailbox the resource names. */
  userId: string;
  /** Only this folder's messages, when the resource names one. */
  folder: FolderName | undefined;
  expiresAt: number;
}

export interface SubscriptionRequest {
  resource: string;
  userRef: string;
  folderRef: string | undefined;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | undefined;
  clientState: string | undefined;
  expiresAt: number;
  latestSupportedTlsVersion: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const minimumMinutes = 45;
const writable = new Set([
  '@odata.type', 'changeType', 'notificationUrl', 'lifecycleNotificationUrl', 'resource', 'expirationDateTime', 'clientState',
  'latestSupportedTlsVersion', 'includeResourceData', 'encryptionCertificate', 'encryptionCertificateId', 'notificationQueryOptions', 'notificationUrlAppId',
]);
const resourcePattern = /^\/?(?:(me)|users\/([^/]+)|users\('([^']+)'\))\/(?:mailFolders(?:\('([^']+)'\)|\/([^/]+))\/)?messages(?:\?.*)?$/i;

export function checkCreate(body: Record<string, unknown>, now: Date, maxMinutes: number): Checked<SubscriptionRequest> {
  const refuse = (message: string, code = 'InvalidRequest'): Checked<SubscriptionRequest> => ({ ok: false, code, message });
  const unknown = Object.keys(body).find((key) => !writable.has(key));
  if (unknown) return refuse(`The property '${unknown}' does not exist on type 'microsoft.graph.subscription'. Make sure to only use property names that are defined by the type or mark the type as open type.`, 'BadRequest');
  const { changeType, notificationUrl, lifecycleNotificationUrl, resource, clientState, latestSupportedTlsVersion } = body;
  if (typeof changeType !== 'string' || changeType === '') return refuse("Missing required property 'changeType'.");
  const changeTypes = changeType.split(',').map((t) => t.trim());
  const wrong = changeTypes.find((t) => !['created', 'updated', 'deleted'].includes(t));
  if (wrong !== undefined) return refuse(`'${wrong}' is not a valid change type. Valid values are created, updated and deleted.`);
  const url = checkUrl('notificationUrl', notificationUrl);
  if (!url.ok) return url;
  let lifecycle: string | undefined;
  if (lifecycleNotificationUrl !== undefined && lifecycleNotificationUrl !== null) {
    const checked = checkUrl('lifecycleNotificationUrl', lifecycleNotificationUrl);
    if (!checked.ok) return checked;
    lifecycle = checked.value;
  }
  if (typeof resource !== 'string' || resource === '') return refuse("Missing required property 'resource'.");
  const match = resourcePattern.exec(resource);
  if (!match) return refuse(`Resource '${resource}' is not supported by the Graph fake: use /users/{id}/messages, me/messages or …/mailFolders('inbox')/messages.`, 'ExtensionError');
  if (clientState !== undefined && clientState !== null && (typeof clientState !== 'string' || clientState.length > 128)) {
    return refuse('clientState must be a string of at most 128 characters.');
  }
  if (latestSupportedTlsVersion !== undefined && !['v1_0', 'v1_1', 'v1_2', 'v1_3'].includes(String(latestSupportedTlsVersion))) {
    return refuse(`Invalid latestSupportedTlsVersion '${String(latestSupportedTlsVersion)}'.`);
  }
  if (body.includeResourceData === true) return refuse('A valid encryption certificate must be provided when includeResourceData is true.');
  const expiry = checkExpiration(body.expirationDateTime, now, maxMinutes);
  if (!expiry.ok) return expiry;
  return {
    ok: true,
    value: {
      resource, userRef: match[1] ?? decodeURIComponent(match[2] ?? match[3]!), folderRef: match[4] ?? match[5],
      changeTypes: changeTypes as ChangeType[], notificationUrl: url.value, lifecycleNotificationUrl: lifecycle,
      clientState: typeof clientState === 'string' ? clientState : undefined, expiresAt: expiry.value,
      latestSupportedTlsVersion: typeof latestSupportedTlsVersion === 'string' ? latestSupportedTlsVersion : 'v1_2',
    },
  };
}

/** At most `maxMinutes` ahead; less than 45 minutes ahead is raised to 45 (PLATFORMS.md C1). */
export function checkExpiration(value: unknown, now: Date, maxMinutes: number): Checked<number> {
  if (value === undefined || value === null) return { ok: false, code: 'InvalidRequest', message: "Missing required property 'expirationDateTime'." };
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) return { ok: false, code: 'InvalidRequest', message: `Cannot convert '${String(value)}' to a DateTimeOffset.` };
  const ahead = at - now.getTime();
  if (ahead <= 0) return { ok: false, code: 'InvalidRequest', message: 'Subscription expiration must be in the future.' };
  if (ahead > maxMinutes * 60_000) return { ok: false, code: 'InvalidRequest', message: `Subscription expiration can only be ${maxMinutes} minutes in the future.` };
  return { ok: true, value: Math.max(at, now.getTime() + minimumMinutes * 60_000) };
}

/** https, or http to a loopback host so a test's plain HTTP receiver can stand in (real Graph requires https). */
function checkUrl(name: string, value: unknown): Checked<string> {
  if (typeof value !== 'string' || value === '') return { ok: false, code: 'InvalidRequest', message: `Missing required property '${name}'.` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, code: 'InvalidRequest', message: `Invalid ${name} '${value}'.` };
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { ok: false, code: 'InvalidRequest', message: `Invalid ${name} '${value}': the URL must use https.` };
  }
  return { ok: true, value };
}

export class SubscriptionStore {
  readonly #clock: Clock;
  readonly #held = new Map<string, HeldSubscription>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(request: SubscriptionRequest, userId: string, folder: FolderName | undefined, applicationId: string, creatorId: string): HeldSubscription {
    const subscription: Subscription = {
      id: randomUUID(), resource: request.resource, applicationId, changeType: request.changeTypes.join(','),
      clientState: request.clientState ?? null, notificationUrl: request.notificationUrl, notificationQueryOptions: null,
      lifecycleNotificationUrl: request.lifecycleNotificationUrl ?? null, expirationDateTime: graphDateTime(request.expiresAt),
      creatorId, includeResourceData: false, latestSupportedTlsVersion: request.latestSupportedTlsVersion,
      encryptionCertificate: null, encryptionCertificateId: null, notificationUrlAppId: null,
    };
    const held = { subscription, userId, folder, expiresAt: request.expiresAt };
    this.#held.set(subscription.id, held);
    return held;
  }

  /** A live subscription; a lapsed one is forgotten, as Graph deletes it. */
  get(id: string): HeldSubscription | undefined {
    const held = this.#held.get(id);
    if (held && held.expiresAt <= this.#clock.now().getTime()) this.#held.delete(id);
    return this.#held.get(id);
  }

  live(): HeldSubscription[] {
    return [...this.#held.keys()].map((id) => this.get(id)).filter((held) => held !== undefined);
  }

  renew(id: string, expiresAt: number): HeldSubscription | undefined {
    const held = this.get(id);
    if (!held) return undefined;
    held.expiresAt = expiresAt;
    held.subscription.expirationDateTime = graphDateTime(expiresAt);
    return held;
  }

  delete(id: string): boolean {
    return this.get(id) !== undefined && this.#held.delete(id);
  }
}

/** A change notification item for a new message (PLATFORMS.md C3). */
export function changeItem(held: HeldSubscription, entry: MailboxEntry, tenantId: string): Record<string, unknown> {
  const resource = `Users/${held.userId}/Messages/${entry.message.id}`;
  return {
    subscriptionId: held.subscription.id,
    subscriptionExpirationDateTime: held.subscription.expirationDateTime,
    changeType: 'created',
    resource,
    resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': resource, '@odata.etag': etag(entry.message), id: entry.message.id },
    clientState: held.subscription.clientState,
    tenantId,
  };
}

/** A lifecycle notification item: no `resource` (PLATFORMS.md C4). */
export function lifecycleItem(held: HeldSubscription, event: LifecycleEvent, tenantId: string): Record<string, unknown> {
  return {
    subscriptionId: held.subscription.id,
    subscriptionExpirationDateTime: held.subscription.expirationDateTime,
    tenantId,
    clientState: held.subscription.clientState,
    lifecycleEvent: event,
  };
}

/** Graph writes subscription times with seven fractional digits: `2026-03-05T09:00:00.0000000Z`. */
function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}
