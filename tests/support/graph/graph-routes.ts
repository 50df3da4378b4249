/**
 * Which fake endpoint a request is for. Graph paths are matched without
 * regard to case (`mailfolders`, `Messages`), as Graph does, after
 * percent-decoding (`mailFolders(%27inbox%27)`).
 */

export type IdentityMethod = 'identity.openidConfiguration' | 'identity.authorize' | 'identity.token' | 'identity.keys';

export type GraphApiMethod =
  | 'users.get'
  | 'messages.get'
  | 'messages.delta'
  | 'subscriptions.create'
  | 'subscriptions.list'
  | 'subscriptions.get'
  | 'subscriptions.update'
  | 'subscriptions.delete'
  | 'subscriptions.reauthorize'
  | 'users.sendMail';

export type Route =
  | { kind: 'identity'; method: IdentityMethod; tenant: string }
  | {
      kind: 'graph';
      method: GraphApiMethod;
      /** `me` or the `{id}` of `/users/{id}` (an object id or a UPN). */
      userRef?: string;
      folderRef?: string;
      messageId?: string;
      subscriptionId?: string;
      /** The raw path up to `/messages/delta`, for delta links. */
      linkPath?: string;
    };

const identityRoutes: Array<[string, RegExp, IdentityMethod]> = [
  ['GET', /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, 'identity.openidConfiguration'],
  ['GET', /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/, 'identity.authorize'],
  ['POST', /^\/([^/]+)\/oauth2\/v2\.0\/token$/, 'identity.token'],
  ['GET', /^\/([^/]+)\/discovery\/v2\.0\/keys$/, 'identity.keys'],
];

const owner = String.raw`(me|users\/[^/]+)`;
const folder = String.raw`mailFolders(?:\('([^']+)'\)|\/([^/]+))`;
const userPattern = new RegExp(`^${owner}$`, 'i');
const messagePattern = new RegExp(`^${owner}\\/(?:${folder}\\/)?messages\\/([^/]+)$`, 'i');
const deltaPattern = new RegExp(`^${owner}\\/${folder}\\/messages\\/delta$`, 'i');
const rawDeltaSuffix = /\/messages\/delta$/i;

export function routeRequest(httpMethod: string, rawPath: string): Route | undefined {
  for (const [verb, pattern, method] of identityRoutes) {
    const match = pattern.exec(rawPath);
    if (match && verb === httpMethod) return { kind: 'identity', method, tenant: decodeURIComponent(match[1]!) };
  }
  if (!rawPath.startsWith('/v1.0/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(rawPath.slice('/v1.0/'.length)).replace(/\/$/, '');
  } catch {
    return undefined;
  }
  const userRef = (segment: string) => (segment.toLowerCase() === 'me' ? 'me' : segment.slice('users/'.length));
  if (httpMethod === 'GET') {
    let match = userPattern.exec(path);
    if (match) return { kind: 'graph', method: 'users.get', userRef: userRef(match[1]!) };
    match = deltaPattern.exec(path);
    if (match) return { kind: 'graph', method: 'messages.delta', userRef: userRef(match[1]!), folderRef: match[2] ?? match[3], linkPath: rawPath.replace(rawDeltaSuffix, '') };
    match = messagePattern.exec(path);
    if (match) return { kind: 'graph', method: 'messages.get', userRef: userRef(match[1]!), folderRef: match[2] ?? match[3], messageId: match[4] };
  }
  if (httpMethod === 'POST') {
    const sender = new RegExp(`^${owner}\\/sendMail$`, 'i').exec(path);
    if (sender) return { kind: 'graph', method: 'users.sendMail', userRef: userRef(sender[1]!) };
  }
  const subscription = /^subscriptions(?:\/([^/]+))?(\/reauthorize)?$/i.exec(path);
  if (subscription) {
    const [, id, reauthorize] = subscription;
    if (id === undefined) {
      if (httpMethod === 'POST') return { kind: 'graph', method: 'subscriptions.create' };
      if (httpMethod === 'GET') return { kind: 'graph', method: 'subscriptions.list' };
    } else if (reauthorize) {
      if (httpMethod === 'POST') return { kind: 'graph', method: 'subscriptions.reauthorize', subscriptionId: id };
    } else {
      const method = ({ GET: 'subscriptions.get', PATCH: 'subscriptions.update', DELETE: 'subscriptions.delete' } as const)[httpMethod as 'GET'];
      if (method) return { kind: 'graph', method, subscriptionId: id };
    }
  }
  return undefined;
}
