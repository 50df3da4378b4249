import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ConfidentialClientApplication, CryptoProvider, InteractionRequiredAuthError, ServerError, type AuthenticationResult, type Configuration } from '@azure/msal-node';
import { Client, GraphError, MiddlewareFactory, RetryHandler, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from './fixed-clock.ts';
import { startGraphFake, type GraphFake } from './graph-fake.ts';
import { Recording } from './recording.ts';
import { testTls } from './test-tls.ts';

const app = { clientId: '6f1c2a9e-3b7d-4e8f-9a0b-1c2d3e4f5a6b', clientSecret: 'guanxi~test.secret' };
const redirectUri = 'https://guanxi.test/oauth/microsoft';
const rep = 'rep@contoso.example';
const graphDefault = 'https://graph.microsoft.com/.default';

describe('the Graph fake, driven by @azure/msal-node and @microsoft/microsoft-graph-client', () => {
  let clock: FixedClock;
  let fake: GraphFake;
  let receiver: Receiver;

  beforeEach(async () => {
    clock = new FixedClock('2026-03-02T09:00:00Z');
    fake = await startGraphFake({ clock, client: app });
    fake.addMailbox(rep, { displayName: 'Rita Rep' });
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await fake.close();
    await receiver.close();
  });

  /** MSAL pointed at the fake: the authority's host is known, so MSAL skips instance discovery at login.microsoftonline.com. */
  function msal(auth: Partial<Configuration['auth']> = {}): ConfidentialClientApplication {
    return new ConfidentialClientApplication({ auth: { ...app, authority: fake.authorityUrl, knownAuthorities: [fake.knownAuthority], ...auth } });
  }

  /** The Graph client on the fake, without RetryHandler: the product retries 429/503 on its own clock. */
  function graphWith(token: () => Promise<string>, on: GraphFake = fake): Client {
    const authProvider: AuthenticationProvider = { getAccessToken: token };
    const middleware = MiddlewareFactory.getDefaultMiddlewareChain(authProvider).filter((handler) => !(handler instanceof RetryHandler));
    return Client.initWithMiddleware({ baseUrl: on.baseUrl, customHosts: new Set([on.customHost]), middleware });
  }

  async function signedIn(client = msal()): Promise<{ client: ConfidentialClientApplication; result: AuthenticationResult; graph: Client }> {
    const result = await client.acquireTokenByCode({ code: fake.authorize(rep, undefined, { clientId: app.clientId, redirectUri }), scopes: ['Mail.Read'], redirectUri });
    return { client, result, graph: graphWith(async () => result.accessToken) };
  }

  /** The Graph client with the app's own token (client credentials), on `on`. */
  async function appOnly(on: GraphFake = fake): Promise<Client> {
    const result = await msal({ authority: on.authorityUrl, knownAuthorities: [on.knownAuthority] }).acquireTokenByClientCredential({ scopes: [graphDefault] });
    return graphWith(async () => result!.accessToken, on);
  }

  async function rejection<T>(promise: Promise<unknown>, type: new (...args: any[]) => T): Promise<T> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    return error as T;
  }

  function subscriptionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      changeType: 'created',
      notificationUrl: receiver.url,
      lifecycleNotificationUrl: receiver.lifecycleUrl,
      resource: `/users/${fake.userOf(rep).id}/messages`,
      expirationDateTime: new Date(clock.now().getTime() + 3 * 24 * 3600_000).toISOString(),
      clientState: 'state-for-rep',
      ...overrides,
    };
  }

  describe('sign-in with MSAL', () => {
    it('signs in through the consent page with PKCE, fetching nothing but the fake', async () => {
      const seen = vi.spyOn(globalThis, 'fetch');
      try {
        const client = msal();
        const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
        fake.signInAs(rep);
        const consentUrl = await client.getAuthCodeUrl({ scopes: ['Mail.Read'], redirectUri, state: 'st-1', codeChallenge: challenge, codeChallengeMethod: 'S256' });
        const back = new URL((await fetch(consentUrl, { redirect: 'manual' })).headers.get('location')!);
        expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
        expect(back.searchParams.get('state')).toBe('st-1');

        const result = await client.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes: ['Mail.Read'], redirectUri, codeVerifier: verifier });

        expect(result.account?.username).toBe(rep);
        expect(result.account?.homeAccountId).toBe(`${fake.userOf(rep).id}.${fake.tenantId}`);
        expect(result.idTokenClaims).toMatchObject({ oid: fake.userOf(rep).id, tid: fake.tenantId, name: 'Rita Rep' });
        const urls = seen.mock.calls.map(([input]) => new URL(input instanceof Request ? input.url : String(input)).origin);
        expect(new Set(urls)).toEqual(new Set([fake.origin]));
        expect(fake.callsTo('identity.openidConfiguration')).toHaveLength(1);
        expect(fake.callsTo('identity.token')[0]?.body).toMatchObject({
          grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: redirectUri,
          code_verifier: verifier, client_info: '1', scope: expect.stringContaining('offline_access'),
        });
      } finally {
        seen.mockRestore();
      }
    });

    it('needs no OpenID configuration request when given the authority metadata', async () => {
      const { result } = await signedIn(msal({ authorityMetadata: fake.authorityMetadata() }));
      expect(result.accessToken).not.toBe('');
      expect(fake.callsTo('identity.openidConfiguration')).toHaveLength(0);
    });

    it('reports a denied consent on the redirect', async () => {
      fake.signInAs(rep, { deny: true });
      const consentUrl = await msal().getAuthCodeUrl({ scopes: ['Mail.Read'], redirectUri, state: 'st-2' });
      const back = new URL((await fetch(consentUrl, { redirect: 'manual' })).headers.get('location')!);
      expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'access_denied', state: 'st-2', error_description: expect.stringMatching(/^AADSTS65004/) });
    });

    it('refreshes silently, or from a refresh token kept outside MSAL', async () => {
      const { client, result } = await signedIn();
      const silent = await client.acquireTokenSilent({ account: result.account!, scopes: ['Mail.Read'], forceRefresh: true });
      expect(silent.accessToken).not.toBe(result.accessToken);

      // MSAL Node never hands out the refresh token: it sits in the serialized cache.
      const cache = JSON.parse(client.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
      const refreshToken = Object.values(cache.RefreshToken)[0]!.secret;
      const later = await msal().acquireTokenByRefreshToken({ refreshToken, scopes: ['Mail.Read'] });
      expect(later?.account?.username).toBe(rep);
      expect(fake.callsTo('identity.token').map((call) => call.body.grant_type)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
      const me = await graphWith(async () => later!.accessToken).api('/me').get();
      expect(me).toMatchObject({ id: fake.userOf(rep).id, mail: rep, userPrincipalName: rep });
    });

    it('answers a revoked refresh token with invalid_grant, as Entra ID does', async () => {
      const { client, result, graph } = await signedIn();
      fake.revoke(rep);

      const error = await rejection(client.acquireTokenSilent({ account: result.account!, scopes: ['Mail.Read'], forceRefresh: true }), ServerError);
      expect(error.errorCode).toBe('invalid_grant');
      expect(error.errorMessage).toMatch(/AADSTS50173: The provided grant has expired due to it being revoked/);
      const graphError = await rejection(graph.api('/me').get(), GraphError);
      expect(graphError).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });

      // With Entra ID's bad_token suberror MSAL throws its interaction-required class, with the same code.
      const { client: again, result: second } = await signedIn();
      fake.revoke(rep, { badToken: true });
      const interaction = await rejection(again.acquireTokenSilent({ account: second.account!, scopes: ['Mail.Read'], forceRefresh: true }), InteractionRequiredAuthError);
      expect(interaction).toMatchObject({ errorCode: 'invalid_grant', subError: 'bad_token' });
    });

    it('issues app-only tokens by client credentials, for mailboxes named by address', async () => {
      const graph = await appOnly();
      expect(await graph.api(`/users/${rep}`).get()).toMatchObject({ id: fake.userOf(rep).id, mail: rep });
      expect(await rejection(graph.api('/me').get(), GraphError)).toMatchObject({ statusCode: 400, message: '/me request is only valid with delegated authentication flow.' });
      expect(fake.callsTo('identity.token')[0]?.body).toMatchObject({ grant_type: 'client_credentials', scope: graphDefault });

      const badScope = await rejection(msal().acquireTokenByClientCredential({ scopes: ['Mail.Read'] }), ServerError);
      expect(badScope.errorCode).toBe('invalid_scope');
    });

    it('finds the user of a mailbox hosted on-premises, and answers for its mail that Graph cannot reach it', async () => {
      fake.addMailbox('onprem@ourteam.io', { onPremises: true });
      const graph = await appOnly();
      expect(await graph.api('/users/onprem@ourteam.io').get()).toMatchObject({ mail: 'onprem@ourteam.io' });
      const error = await rejection(graph.api('/users/onprem@ourteam.io/mailFolders/inbox/messages/delta').get(), GraphError);
      expect(error).toMatchObject({ statusCode: 404, code: 'MailboxNotEnabledForRESTAPI' });
    });

    it('lets an app read a user only with a directory permission such as User.Read.All, and says which user does not exist', async () => {
      const graph = await appOnly();
      expect(await rejection(graph.api('/users/nobody@example.com').get(), GraphError)).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });

      const mailOnly = await startGraphFake({ clock, client: app, appRoles: ['Mail.Read'] });
      try {
        mailOnly.addMailbox(rep);
        const asApp = await appOnly(mailOnly);
        expect(await rejection(asApp.api(`/users/${rep}`).get(), GraphError)).toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
        expect(await asApp.api(`/users/${rep}/mailFolders/inbox/messages/delta`).get()).toMatchObject({ value: [] });
      } finally {
        await mailOnly.close();
      }
    });

    it('leaves MSAL refusing the same token request for a minute after a 429 or 5xx, without asking again', async () => {
      const client = msal();
      fake.failNext('identity.token', { status: 503, retryAfter: 0 });
      expect((await rejection(client.acquireTokenByClientCredential({ scopes: [graphDefault] }), ServerError)).errorCode).toBe('server_error');
      // MSAL's throttling cache (Retry-After, at least 60 s of real time) answers for the token endpoint.
      await rejection(client.acquireTokenByClientCredential({ scopes: [graphDefault] }), ServerError);
      expect(fake.callsTo('identity.token')).toHaveLength(1);
      expect(await msal().acquireTokenByClientCredential({ scopes: [graphDefault] })).toMatchObject({ accessToken: expect.any(String) });
    });

    it('refuses a wrong client secret as invalid_client', async () => {
      const error = await rejection(msal({ clientSecret: 'not-the-secret' }).acquireTokenByClientCredential({ scopes: [graphDefault] }), ServerError);
      expect(error.errorCode).toBe('invalid_client');
      expect(error.errorMessage).toMatch(/AADSTS7000215/);
    });
  });

  describe('the Graph client', () => {
    it('sends the bearer token only to a customHosts host over https', async () => {
      const { result } = await signedIn();
      const withoutHosts = Client.initWithMiddleware({ baseUrl: fake.baseUrl, authProvider: { getAccessToken: async () => result.accessToken } });
      expect(await rejection(withoutHosts.api('/me').get(), GraphError)).toMatchObject({ statusCode: 401, message: 'Access token is empty.' });
    });

    it('returns only the $select-ed message properties', async () => {
      const { graph } = await signedIn();
      const sent = fake.deliver(rep, {
        from: { emailAddress: { name: 'Carla Customer', address: 'carla@customer.example' } }, toRecipients: [rep], ccRecipients: ['boss@contoso.example'],
        subject: 'Renewal', body: 'Can we talk on Friday?', internetMessageId: '<CAF=abc@customer.example>',
      });

      const message = await graph.api(`/users/${fake.userOf(rep).id}/messages/${sent.id}`).select(['from', 'subject', 'internetMessageId', 'ccRecipients']).get();

      expect(Object.keys(message).sort()).toEqual(['@odata.context', '@odata.etag', 'ccRecipients', 'from', 'id', 'internetMessageId', 'subject']);
      expect(message).toMatchObject({
        id: sent.id, subject: 'Renewal', internetMessageId: '<CAF=abc@customer.example>',
        from: { emailAddress: { name: 'Carla Customer', address: 'carla@customer.example' } },
        ccRecipients: [{ emailAddress: { name: 'boss@contoso.example', address: 'boss@contoso.example' } }],
      });
      expect(message['@odata.context']).toMatch(/\/\$metadata#users\('[^']+'\)\/messages\(from,subject,internetMessageId,ccRecipients\)\/\$entity$/);
      const unknown = await rejection(graph.api(`/me/messages/${sent.id}`).select('snippet').get(), GraphError);
      expect(unknown).toMatchObject({ statusCode: 400, message: "Could not find a property named 'snippet' on type 'microsoft.graph.message'." });
    });

    it('pages a delta round with https links, then reports only what changed', async () => {
      const { graph } = await signedIn();
      const from = 'carla@customer.example';
      const [, second] = ['one', 'two', 'three'].map((subject) => {
        clock.advance(60_000);
        return fake.deliver(rep, { from, toRecipients: [rep], subject });
      });
      fake.deliver(rep, { toRecipients: [from], subject: 'sent reply' }, { folder: 'sentitems' });
      const inbox = `/users/${fake.userOf(rep).id}/mailFolders('inbox')/messages/delta`;

      const page1 = await graph.api(inbox).select(['subject', 'from', 'internetMessageId']).header('Prefer', 'odata.maxpagesize=2').get();
      expect(page1['@odata.nextLink']).toMatch(new RegExp(`^${fake.origin}/v1\\.0/.+\\$skiptoken=`));
      const page2 = await graph.api(page1['@odata.nextLink']).header('Prefer', 'odata.maxpagesize=2').get();
      expect(page2['@odata.deltaLink']).toMatch(new RegExp(`^${fake.origin}/v1\\.0/.+\\$deltatoken=`));
      expect([...page1.value, ...page2.value].map((m: { subject: string }) => m.subject)).toEqual(['three', 'two', 'one']);
      expect(Object.keys(page2.value[0]).sort()).toEqual(['@odata.etag', '@odata.type', 'from', 'id', 'internetMessageId', 'subject']);
      expect(fake.callsTo('messages.delta').map((call) => call.auth)).toEqual(['delegated', 'delegated']);

      const fourth = fake.deliver(rep, { from, subject: 'four' });
      fake.remove(rep, second!.id);
      const changes = await graph.api(page2['@odata.deltaLink']).get();
      expect(changes.value).toEqual([
        expect.objectContaining({ id: fourth.id, subject: 'four' }),
        { '@odata.type': '#microsoft.graph.message', id: second!.id, '@removed': { reason: 'deleted' } },
      ]);
      expect(changes['@odata.deltaLink']).toBeDefined();

      const sentItems = await graph.api(`/me/mailFolders/sentitems/messages/delta`).get();
      expect(sentItems.value.map((m: { subject: string; from: unknown }) => [m.subject, m.from])).toEqual([['sent reply', { emailAddress: { name: 'Rita Rep', address: rep } }]]);
    });

    it('answers an expired delta token with 410 SyncStateNotFound', async () => {
      const { graph } = await signedIn();
      const round = await graph.api(`/me/mailFolders('Inbox')/messages/delta`).get();
      fake.expireDelta(rep);
      const error = await rejection(graph.api(round['@odata.deltaLink']).get(), GraphError);
      expect(error).toMatchObject({ statusCode: 410, code: 'SyncStateNotFound' });
    });

    it('hands a 429 with Retry-After to the caller once its RetryHandler is left out', async () => {
      const { graph, result } = await signedIn();
      const sent = fake.deliver(rep, { from: 'carla@customer.example', subject: 'hi' });
      fake.failNext('messages.get', { status: 429, retryAfter: 7 });

      const error = await rejection(graph.api(`/me/messages/${sent.id}`).get(), GraphError);
      expect(error).toMatchObject({ statusCode: 429, code: 'ApplicationThrottled' });
      expect(error.headers?.get('Retry-After')).toBe('7');
      expect(fake.callsTo('messages.get')).toHaveLength(1);

      // Client.init keeps RetryHandler, which retries 429/503/504 by itself (here after Retry-After: 0).
      fake.failNext('messages.get', { status: 503, retryAfter: 0 });
      fake.failNext('messages.get', { status: 429, retryAfter: 0 });
      const retrying = Client.init({ authProvider: (done) => done(null, result.accessToken), baseUrl: fake.baseUrl, customHosts: new Set([fake.customHost]) });
      expect((await retrying.api(`/me/messages/${sent.id}`).get()).id).toBe(sent.id);
      expect(fake.callsTo('messages.get').slice(1).map((call) => [call.status, call.headers['retry-attempt']])).toEqual([[503, undefined], [429, '1'], [200, '2']]);
    });

    it('refuses a fifth concurrent request to one mailbox when throttling is on', async () => {
      const throttled = await startGraphFake({ clock, client: app, throttle: true });
      try {
        throttled.addMailbox(rep);
        const graph = await appOnly(throttled);
        const hold = throttled.hold();
        const requests = Array.from({ length: 5 }, () => graph.api(`/users/${rep}`).get().then(() => 200, (e: GraphError) => e.statusCode));
        const refused = await throttled.waitFor('users.get', (call) => call.status === 429);
        expect(refused.response).toMatchObject({ error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } });
        hold.release();
        expect((await Promise.all(requests)).sort()).toEqual([200, 200, 200, 200, 429]);
      } finally {
        await throttled.close();
      }
    });
  });

  describe('subscriptions and notifications', () => {
    it('creates a subscription once the notification URLs answer the validation handshake', async () => {
      const { graph } = await signedIn();
      const created = await graph.api('/subscriptions').post(subscriptionBody());

      expect(created).toMatchObject({
        id: expect.any(String), applicationId: app.clientId, creatorId: fake.userOf(rep).id, changeType: 'created',
        clientState: 'state-for-rep', notificationUrl: receiver.url, lifecycleNotificationUrl: receiver.lifecycleUrl,
        expirationDateTime: '2026-03-05T09:00:00.0000000Z',
      });
      expect(fake.handshakes.map((h) => [h.url, h.ok])).toEqual([[receiver.url, true], [receiver.lifecycleUrl, true]]);
      expect(fake.handshakes[0]?.token).toMatch(/^Validation: Testing client application reachability for subscription Request-Id: [0-9a-f-]{36}$/);
      expect(fake.subscriptions(rep).map((s) => s.id)).toEqual([created.id]);
    });

    it('refuses the subscription when the handshake answer is wrong or late', async () => {
      const { graph } = await signedIn();
      receiver.answer = 'encoded';
      const encoded = await rejection(graph.api('/subscriptions').post(subscriptionBody()), GraphError);
      expect(encoded).toMatchObject({ statusCode: 400, code: 'InvalidRequest', message: expect.stringMatching(/^Subscription validation request failed/) });
      expect(fake.handshakes.at(-1)?.why).toBe('answered the token still URL-encoded');

      receiver.answer = 'json';
      await rejection(graph.api('/subscriptions').post(subscriptionBody()), GraphError);
      expect(fake.handshakes.at(-1)?.why).toMatch(/Content-Type application\/json/);

      const impatient = await startGraphFake({ clock, client: app, validationTimeoutMs: 50 });
      try {
        impatient.addMailbox(rep);
        const token = (await msal({ authority: impatient.authorityUrl, knownAuthorities: [impatient.knownAuthority] }).acquireTokenByClientCredential({ scopes: [graphDefault] }))!.accessToken;
        const late = Client.initWithMiddleware({ baseUrl: impatient.baseUrl, customHosts: new Set([impatient.customHost]), authProvider: { getAccessToken: async () => token } });
        receiver.answer = 'never';
        await rejection(late.api('/subscriptions').post({ ...subscriptionBody(), resource: `users/${rep}/messages` }), GraphError);
        expect(impatient.handshakes[0]?.why).toBe('no answer within 50 ms');
      } finally {
        await impatient.close();
      }
      expect(fake.subscriptions()).toEqual([]);
    });

    it('holds expiry to Graph limits and lets a renewal extend it, on the fake clock', async () => {
      const { client, result, graph } = await signedIn();
      const inMinutes = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
      const tooLong = await rejection(graph.api('/subscriptions').post(subscriptionBody({ expirationDateTime: inMinutes(10_081) })), GraphError);
      expect(tooLong).toMatchObject({ statusCode: 400, message: 'Subscription expiration can only be 10080 minutes in the future.' });

      const short = await graph.api('/subscriptions').post(subscriptionBody({ expirationDateTime: inMinutes(10) }));
      expect(short.expirationDateTime).toBe('2026-03-02T09:45:00.0000000Z');

      clock.advance(30 * 60_000);
      const renewed = await graph.api(`/subscriptions/${short.id}`).patch({ expirationDateTime: inMinutes(4230) });
      expect(renewed.expirationDateTime).toBe('2026-03-05T08:00:00.0000000Z');

      clock.set('2026-03-05T08:00:00Z');
      // The access token has lapsed on the fake's clock, though MSAL (whose cache runs on Date.now) would still hand it out.
      expect(await rejection(graph.api('/me').get(), GraphError)).toMatchObject({ statusCode: 401, message: 'Lifetime validation failed, the token is expired.' });
      const fresh = await client.acquireTokenSilent({ account: result.account!, scopes: ['Mail.Read'], forceRefresh: true });
      expect(await rejection(graphWith(async () => fresh.accessToken).api(`/subscriptions/${short.id}`).get(), GraphError)).toMatchObject({ statusCode: 404 });
      fake.deliver(rep, { from: 'carla@customer.example', subject: 'too late' });
      expect(await fake.notify(rep)).toEqual([]);
    });

    it('notifies the app of new mail with the subscription clientState', async () => {
      const { graph } = await signedIn();
      const subscription = await graph.api('/subscriptions').post(subscriptionBody());
      const message = fake.deliver(rep, { from: 'carla@customer.example', subject: 'New order' });

      const [delivery] = await fake.notify(rep);

      expect(delivery).toMatchObject({ kind: 'change', url: receiver.url, status: 202 });
      const resource = `Users/${fake.userOf(rep).id}/Messages/${message.id}`;
      expect(receiver.received.items.at(-1)).toEqual({
        path: '/graph/notifications',
        body: {
          value: [{
            subscriptionId: subscription.id, subscriptionExpirationDateTime: subscription.expirationDateTime, changeType: 'created',
            resource, clientState: 'state-for-rep', tenantId: fake.tenantId,
            resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': resource, '@odata.etag': expect.stringMatching(/^W\/"/), id: message.id },
          }],
        },
      });

      // The resource path reads back through the client as is.
      expect((await graph.api(resource).select('subject').get()).subject).toBe('New order');
      const forged = await fake.notify(rep, { messageIds: [message.id], clientState: 'guessed' });
      expect(forged[0]?.body.value[0]?.clientState).toBe('guessed');
    });

    it('sends lifecycle events to the lifecycle URL; subscriptionRemoved ends the subscription', async () => {
      const { graph } = await signedIn();
      const subscription = await graph.api('/subscriptions').post(subscriptionBody());

      const [reauthorize] = await fake.lifecycle(rep, 'reauthorizationRequired');
      expect(reauthorize).toMatchObject({ kind: 'lifecycle', url: receiver.lifecycleUrl, status: 202 });
      expect(reauthorize?.body.value).toEqual([{
        subscriptionId: subscription.id, subscriptionExpirationDateTime: subscription.expirationDateTime,
        tenantId: fake.tenantId, clientState: 'state-for-rep', lifecycleEvent: 'reauthorizationRequired',
      }]);
      expect(await graph.api(`/subscriptions/${subscription.id}/reauthorize`).post(undefined)).toBeUndefined();

      await fake.lifecycle(rep, 'subscriptionRemoved');
      expect(fake.subscriptions(rep)).toEqual([]);
      expect(await rejection(graph.api(`/subscriptions/${subscription.id}`).get(), GraphError)).toMatchObject({ statusCode: 404 });
    });

    it('lists and deletes the app’s subscriptions', async () => {
      const { graph } = await signedIn();
      const subscription = await graph.api('/subscriptions').post(subscriptionBody({ resource: "me/mailFolders('Inbox')/messages" }));
      expect((await graph.api('/subscriptions').get()).value.map((s: { id: string }) => s.id)).toEqual([subscription.id]);
      await graph.api(`/subscriptions/${subscription.id}`).delete();
      expect(fake.callsTo('subscriptions.delete')[0]?.status).toBe(204);
      expect((await (await appOnly()).api('/subscriptions').get()).value).toEqual([]);
    });
  });

  it('sends mail with delegated Mail.Send: 202 without a body, and a copy in Sent Items unless asked not to', async () => {
    const client = msal();
    const code = fake.authorize(rep, ['Mail.Read', 'Mail.Send', 'offline_access', 'openid', 'profile'], { clientId: app.clientId, redirectUri });
    const result = await client.acquireTokenByCode({ code, scopes: ['Mail.Read', 'Mail.Send'], redirectUri });
    const graph = graphWith(async () => result.accessToken);
    const message = { subject: 'How did we do?', body: { contentType: 'HTML', content: '<p>Pick a <a href="https://x.example/p/1">score</a></p>' }, toRecipients: [{ emailAddress: { address: 'jane@acme.example', name: 'Jane' } }] };

    await graph.api('/me/sendMail').post({ message, saveToSentItems: true });
    await graph.api('/me/sendMail').post({ message: { ...message, subject: 'Not kept' }, saveToSentItems: false });

    expect(fake.callsTo('users.sendMail').map((call) => [call.status, call.path])).toEqual([[202, '/v1.0/me/sendMail'], [202, '/v1.0/me/sendMail']]);
    expect(fake.sent(rep).map((m) => [m.from, m.to, m.subject, m.contentType])).toEqual([[rep, ['jane@acme.example'], 'How did we do?', 'html'], [rep, ['jane@acme.example'], 'Not kept', 'html']]);
    const kept = (await graph.api("/me/mailFolders('sentitems')/messages/delta").get()) as { value: { subject: string }[] };
    expect(kept.value.map((m) => m.subject)).toEqual(['How did we do?']);
  });

  it('refuses to send without Mail.Send, for the signed-in user and for the app', async () => {
    const { graph } = await signedIn();
    const message = { subject: 'Hi', body: { contentType: 'Text', content: 'Hello' }, toRecipients: [{ emailAddress: { address: 'jane@acme.example' } }] };

    const delegated = await rejection(graph.api('/me/sendMail').post({ message }), GraphError);
    const asApp = await rejection((await appOnly()).api(`/users/${rep}/sendMail`).post({ message }), GraphError);

    expect([delegated.statusCode, delegated.code]).toEqual([403, 'ErrorAccessDenied']);
    expect([asApp.statusCode, asApp.code]).toEqual([403, 'ErrorAccessDenied']);
    expect(fake.sent(rep)).toEqual([]);
  });
});

type HandshakeAnswer = 'echo' | 'encoded' | 'json' | 'never';

interface Receiver {
  url: string;
  lifecycleUrl: string;
  answer: HandshakeAnswer;
  received: Recording<{ path: string; body: unknown }>;
  close(): Promise<void>;
}

/** The app's side in miniature: answers Graph's handshake (as told) and takes notifications with 202. */
async function startReceiver(): Promise<Receiver> {
  const received = new Recording<{ path: string; body: unknown }>();
  const receiver = { answer: 'echo' as HandshakeAnswer };
  const server: Server = createServer(testTls, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      if (receiver.answer === 'never') return;
      if (receiver.answer === 'json') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(token));
      const raw = /validationToken=([^&]*)/.exec(req.url ?? '')?.[1] ?? '';
      return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end(receiver.answer === 'encoded' ? raw : token);
    }
    received.add({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(202).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(receiver, {
    url: `${origin}/graph/notifications`,
    lifecycleUrl: `${origin}/graph/lifecycle`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
