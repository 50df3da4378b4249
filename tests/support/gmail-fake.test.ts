import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth, Common, google, type gmail_v1 } from 'googleapis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from './fixed-clock.ts';
import { gmailScopes, startGmailFake, type GmailFake } from './gmail-fake.ts';
import { pubsubIdentity, pushBody, sendPush } from './pubsub-push.ts';

const client = { clientId: 'guanxi-client.apps.googleusercontent.com', clientSecret: 'guanxi-secret', redirectUri: 'https://guanxi.test/oauth/google' };
const rep = 'rep@team.example';

describe('the Gmail fake, driven by googleapis and google-auth-library', () => {
  let clock: FixedClock;
  let fake: GmailFake;

  beforeEach(async () => {
    clock = new FixedClock('2026-03-02T09:00:00Z');
    fake = await startGmailFake({ clock, client: { clientId: client.clientId, clientSecret: client.clientSecret } });
    fake.addMailbox(rep);
  });

  afterEach(async () => {
    await fake.close();
  });

  function oauthClient(options: Partial<Auth.OAuth2ClientOptions> = {}): Auth.OAuth2Client {
    return new Auth.OAuth2Client({ ...client, endpoints: { oauth2TokenUrl: fake.tokenUrl, oauth2AuthBaseUrl: fake.authUrl }, ...options });
  }

  /** Retries off: gaxios would otherwise retry 429/5xx GETs on the wall clock. */
  function gmailFor(auth: Auth.OAuth2Client): gmail_v1.Gmail {
    return google.gmail({ version: 'v1', auth, rootUrl: fake.rootUrl, retry: false });
  }

  async function connected(scopes: string[] = [gmailScopes.readonly]): Promise<{ auth: Auth.OAuth2Client; gmail: gmail_v1.Gmail }> {
    const auth = oauthClient();
    const { tokens } = await auth.getToken({ code: fake.authorize(rep, scopes, { clientId: client.clientId, redirectUri: client.redirectUri }) });
    auth.setCredentials(tokens);
    return { auth, gmail: gmailFor(auth) };
  }

  async function rejection(promise: Promise<unknown>): Promise<Common.GaxiosError> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Common.GaxiosError);
    return error as Common.GaxiosError;
  }

  it('exchanges a code for tokens and opens the mailbox the code was for', async () => {
    const auth = oauthClient();
    const { tokens } = await auth.getToken(fake.authorize(rep, [gmailScopes.readonly], { redirectUri: client.redirectUri }));
    auth.setCredentials(tokens);

    expect(tokens).toMatchObject({ access_token: expect.stringMatching(/^ya29\./), refresh_token: expect.any(String), scope: gmailScopes.readonly, token_type: 'Bearer' });
    const profile = await gmailFor(auth).users.getProfile({ userId: 'me' });
    expect(profile.data).toEqual({ emailAddress: rep, messagesTotal: 0, threadsTotal: 0, historyId: fake.historyId(rep) });
    expect(fake.callsTo('oauth2.token')[0]?.body).toMatchObject({ grant_type: 'authorization_code', client_id: client.clientId, redirect_uri: client.redirectUri });
  });

  it('sends a refresh token only for offline access or renewed consent, through the consent page', async () => {
    const auth = oauthClient();
    fake.signInAs(rep);
    const consent = async (params: Parameters<Auth.OAuth2Client['generateAuthUrl']>[0]) => {
      const response = await fetch(auth.generateAuthUrl({ scope: [gmailScopes.readonly], state: 'st-1', ...params }), { redirect: 'manual' });
      const back = new URL(response.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe(client.redirectUri);
      expect(back.searchParams.get('state')).toBe('st-1');
      return (await auth.getToken(back.searchParams.get('code')!)).tokens;
    };

    expect((await consent({ access_type: 'offline' })).refresh_token).toBeDefined();
    expect((await consent({ access_type: 'offline' })).refresh_token).toBeUndefined();
    expect((await consent({ access_type: 'offline', prompt: 'consent' })).refresh_token).toBeDefined();
    expect((await consent({})).refresh_token).toBeUndefined();

    fake.signInAs(rep, { deny: true });
    const denied = await fetch(auth.generateAuthUrl({ scope: [gmailScopes.readonly] }), { redirect: 'manual' });
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('signs an ID token for the openid/email scopes that verifies against the fake certs', async () => {
    const auth = oauthClient({ endpoints: { oauth2TokenUrl: fake.tokenUrl, oauth2FederatedSignonPemCertsUrl: fake.certsUrl } });
    const { tokens } = await auth.getToken(fake.authorize(rep, ['openid', 'email', gmailScopes.readonly], { clientId: client.clientId }));

    const ticket = await auth.verifyIdToken({ idToken: tokens.id_token!, audience: client.clientId });

    expect(ticket.getPayload()).toMatchObject({ email: rep, email_verified: true, aud: client.clientId });
  });

  it("refuses another user's mailbox and a missing token", async () => {
    fake.addMailbox('boss@team.example');
    const { gmail } = await connected();

    expect((await rejection(gmail.users.getProfile({ userId: 'boss@team.example' }))).status).toBe(403);
    await expect(gmail.users.getProfile({ userId: rep })).resolves.toMatchObject({ data: { emailAddress: rep } });
    const anonymous = await rejection(google.gmail({ version: 'v1', rootUrl: fake.rootUrl, retry: false }).users.getProfile({ userId: 'me' }));
    expect((anonymous.response?.data as any).error.errors[0].reason).toBe('required');
  });

  it('refuses a used code and a wrong client secret as Google does', async () => {
    const code = fake.authorize(rep);
    await oauthClient().getToken(code);

    expect((await rejection(oauthClient().getToken(code))).response?.data).toEqual({ error: 'invalid_grant', error_description: 'Bad Request' });
    const wrongSecret = await rejection(oauthClient({ clientSecret: 'nope' }).getToken(fake.authorize(rep)));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.message).toBe('invalid_client');
  });

  it('starts a watch that expires in seven days and records its topic', async () => {
    const { gmail } = await connected();

    const watch = await gmail.users.watch({ userId: 'me', requestBody: { topicName: 'projects/guanxi/topics/gmail', labelIds: ['INBOX'], labelFilterBehavior: 'INCLUDE' } });

    const sevenDays = Date.parse('2026-03-09T09:00:00Z');
    expect(watch.data).toEqual({ historyId: fake.historyId(rep), expiration: String(sevenDays) });
    expect(fake.watchOf(rep)).toMatchObject({ topicName: 'projects/guanxi/topics/gmail', labelIds: ['INBOX'], expiration: sevenDays });
    await gmail.users.stop({ userId: 'me' });
    expect(fake.watchOf(rep)).toBeUndefined();
    expect((await rejection(gmail.users.watch({ userId: 'me', requestBody: { topicName: 'gmail' } }))).status).toBe(400);
  });

  it('lists messages newest first, page by page, within an after: window', async () => {
    const { gmail } = await connected();
    fake.deliver(rep, { headers: { From: 'old@acme.example' }, internalDate: Date.parse('2026-01-01T00:00:00Z') });
    const recent = [1, 2, 3, 4, 5].map((day) =>
      fake.deliver(rep, { headers: { From: `buyer${day}@acme.example` }, internalDate: Date.parse(`2026-02-0${day}T12:00:00Z`) }),
    );
    const after = Date.parse('2026-02-01T00:00:00Z') / 1000;

    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await gmail.users.messages.list({ userId: 'me', q: `after:${after}`, maxResults: 2, pageToken });
      expect(page.data.resultSizeEstimate).toBe(5);
      ids.push(...(page.data.messages ?? []).map((m) => m.id!));
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken);

    expect(ids).toEqual(recent.map((m) => m.id).reverse());
    expect(fake.callsTo('users.messages.list')).toHaveLength(3);
    const newer = await gmail.users.messages.list({ userId: 'me', q: 'newer_than:30d', labelIds: ['INBOX'] });
    expect(newer.data.messages).toHaveLength(5);
  });

  it('returns only the asked-for headers with format=metadata, and 404 for an unknown id', async () => {
    const { gmail } = await connected();
    const sent = fake.deliver(rep, {
      labelIds: ['SENT'],
      snippet: 'Following up on the quote',
      headers: { From: rep, To: 'buyer@acme.example', Cc: 'cfo@acme.example', Subject: 'Quote', 'List-Unsubscribe': '<mailto:u@x>', 'X-Other': '1' },
    });

    const message = await gmail.users.messages.get({ userId: 'me', id: sent.id, format: 'metadata', metadataHeaders: ['From', 'to', 'Message-Id'] });

    expect(message.data).toMatchObject({
      id: sent.id, threadId: sent.id, labelIds: ['SENT'], snippet: 'Following up on the quote',
      historyId: sent.historyId, internalDate: String(clock.now().getTime()), sizeEstimate: expect.any(Number),
    });
    expect(message.data.payload?.headers).toEqual([
      { name: 'From', value: rep },
      { name: 'To', value: 'buyer@acme.example' },
      { name: 'Message-ID', value: `<${sent.id}@mail.gmail.fake>` },
    ]);
    expect(fake.callsTo('users.messages.get')[0]?.params.metadataHeaders).toEqual(['From', 'to', 'Message-Id']);
    expect((await rejection(gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff', format: 'metadata' }))).status).toBe(404);
  });

  it('lists history after two deliveries with rising, non-contiguous ids, and only the historyId when nothing changed', async () => {
    const { gmail } = await connected();
    const start = fake.historyId(rep);
    const first = fake.deliver(rep, { headers: { From: 'a@acme.example' } });
    const second = fake.deliver(rep, { headers: { From: 'b@acme.example' } });

    const page1 = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], labelId: 'INBOX', maxResults: 1 });
    const page2 = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], labelId: 'INBOX', pageToken: page1.data.nextPageToken! });

    const records = [...page1.data.history!, ...page2.data.history!];
    expect(records.map((r) => r.messagesAdded?.[0]?.message?.id)).toEqual([first.id, second.id]);
    expect(records.map((r) => r.id)).toEqual([first.historyId, second.historyId]);
    expect(Number(second.historyId) - Number(first.historyId)).toBeGreaterThan(1);
    expect(Number(first.historyId)).toBeGreaterThan(Number(start));
    expect(page2.data).toMatchObject({ historyId: second.historyId });
    expect(page2.data.nextPageToken).toBeUndefined();

    const quiet = await gmail.users.history.list({ userId: 'me', startHistoryId: second.historyId });
    expect(quiet.data).toEqual({ historyId: second.historyId });
  });

  it('records a deletion in history; the message then answers 404', async () => {
    const { gmail } = await connected();
    const { id } = fake.deliver(rep, { headers: { From: 'a@acme.example' } });
    const cursor = fake.historyId(rep);
    fake.remove(rep, id);

    const history = await gmail.users.history.list({ userId: 'me', startHistoryId: cursor });

    expect(history.data.history?.map((r) => [r.messagesDeleted?.[0]?.message?.id, r.messagesAdded])).toEqual([[id, undefined]]);
    expect((await rejection(gmail.users.messages.get({ userId: 'me', id }))).status).toBe(404);
  });

  it('answers 404 for a startHistoryId older than the retained history', async () => {
    const { gmail } = await connected();
    const cursor = fake.historyId(rep);
    fake.deliver(rep, { headers: { From: 'a@acme.example' } });
    fake.expireHistoryBefore(rep);

    const error = await rejection(gmail.users.history.list({ userId: 'me', startHistoryId: cursor }));

    expect(error.status).toBe(404);
    expect(error.message).toBe('Requested entity was not found.');
    expect((error.response?.data as any).error.errors[0].reason).toBe('notFound');
  });

  it('surfaces a revoked grant as invalid_grant, and a dead access token as 401', async () => {
    const { auth, gmail } = await connected();
    fake.revoke(rep);

    const unauthorised = await rejection(gmail.users.getProfile({ userId: 'me' }));
    expect(unauthorised.status).toBe(401);
    const refused = await rejection(auth.refreshAccessToken());
    expect(refused.message).toBe('invalid_grant');
    expect(refused.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('lets a client with forceRefreshOnFailure recover from an expired access token', async () => {
    const auth = oauthClient({ forceRefreshOnFailure: true });
    auth.setCredentials((await auth.getToken(fake.authorize(rep, undefined, { redirectUri: client.redirectUri }))).tokens);
    clock.advance(60 * 60 * 1000); // the fake's hour passes; the client's expiry_date is on the wall clock

    const profile = await gmailFor(auth).users.getProfile({ userId: 'me' });

    expect(profile.data.emailAddress).toBe(rep);
    expect(fake.callsTo('users.getProfile').map((call) => call.status)).toEqual([401, 200]);
    expect(fake.callsTo('oauth2.token').at(-1)?.body.grant_type).toBe('refresh_token');
  });

  it('answers a burst over the per-user quota with 429 and Retry-After, and frees units as its clock moves', async () => {
    fake.setQuota({ unitsPerMinute: 12 });
    const { gmail } = await connected();
    const { id } = fake.deliver(rep, { headers: { From: 'a@acme.example' } });
    const get = () => gmail.users.messages.get({ userId: 'me', id: id, format: 'metadata' });

    await get();
    clock.advance(20_000);
    await get();
    const error = await rejection(get());

    expect(error.status).toBe(429);
    expect(error.response?.headers.get('retry-after')).toBe('40');
    expect((error.response?.data as any).error.errors[0]).toMatchObject({ reason: 'rateLimitExceeded', domain: 'usageLimits' });
    expect(fake.unitsUsed(rep)).toBe(10);
    expect(fake.quotaRefusals(rep)).toBe(1);
    clock.advance(40_000);
    await get();
    expect(fake.unitsUsed(rep)).toBe(15);
  });

  it('fails the next call as told, then answers normally', async () => {
    const { gmail } = await connected();
    fake.failNext('users.history.list', { status: 503 });
    fake.failNext('users.history.list', { status: 403, retryAfter: 7 });

    const unavailable = await rejection(gmail.users.history.list({ userId: 'me', startHistoryId: fake.historyId(rep) }));
    const limited = await rejection(gmail.users.history.list({ userId: 'me', startHistoryId: fake.historyId(rep) }));

    expect(unavailable.status).toBe(503);
    expect((unavailable.response?.data as any).error.errors[0].reason).toBe('backendError');
    expect(limited.status).toBe(403);
    expect(limited.response?.headers.get('retry-after')).toBe('7');
    expect((limited.response?.data as any).error.errors[0].reason).toBe('userRateLimitExceeded');
    await expect(gmail.users.history.list({ userId: 'me', startHistoryId: fake.historyId(rep) })).resolves.toBeDefined();
    await expect(fake.waitFor('users.history.list', (call) => call.status === 200)).resolves.toMatchObject({ mailbox: rep, units: 2 });
  });

  it('holds the next call as told, then answers it as the mailbox is by then', async () => {
    const { gmail } = await connected();
    const start = fake.historyId(rep);
    const release = fake.holdNext('users.history.list');
    let answered = false;
    const listing = gmail.users.history.list({ userId: 'me', startHistoryId: start }).then((response) => {
      answered = true;
      return response;
    });
    const added = fake.deliver(rep, { headers: { From: 'jane@acme.com', To: rep, Subject: 'While held' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);

    release();
    expect((await listing).data.history?.flatMap((entry) => entry.messagesAdded?.map((m) => m.message?.id) ?? [])).toEqual([added.id]);
  });

  it('holds the metadata scope to its limits: no q, no full format', async () => {
    const { gmail } = await connected([gmailScopes.metadata]);
    const { id } = fake.deliver(rep, { headers: { From: 'a@acme.example' } });

    const withQuery = await rejection(gmail.users.messages.list({ userId: 'me', q: 'newer_than:1d' }));
    const full = await rejection(gmail.users.messages.get({ userId: 'me', id }));

    expect([withQuery.status, withQuery.message]).toEqual([403, "Metadata scope does not support 'q' parameter"]);
    expect([full.status, full.message]).toEqual([403, "Metadata scope doesn't allow format FULL"]);
    await expect(gmail.users.messages.list({ userId: 'me', labelIds: ['INBOX'] })).resolves.toMatchObject({ data: { resultSizeEstimate: 1 } });
  });
  it('sends a raw RFC 2822 message with gmail.send, files it as SENT with its Message-ID, and reads nothing with that scope alone', async () => {
    const { gmail } = await connected([gmailScopes.send]);
    const raw = Buffer.from(['From: Someone Else <else@example.com>', 'To: Jane <jane@acme.example>', 'Subject: =?UTF-8?B?' + Buffer.from('Ça va ?').toString('base64') + '?=', 'Content-Type: text/plain; charset=UTF-8', '', 'Hello'].join('\r\n')).toString('base64url');

    const { data } = await gmail.users.messages.send({ userId: 'me', requestBody: { raw } });
    const reading = await rejection(gmail.users.messages.get({ userId: 'me', id: data.id! }));

    expect(data).toEqual({ id: expect.any(String), threadId: data.id, labelIds: ['SENT'] });
    expect(fake.sent(rep)).toEqual([{ id: data.id, from: rep, to: 'Jane <jane@acme.example>', subject: 'Ça va ?', text: 'Hello', html: null }]);
    expect(reading.status).toBe(403);
    expect(fake.callsTo('users.messages.send')[0]).toMatchObject({ status: 200, mailbox: rep, units: 100 });
    const { gmail: reader } = await connected([gmailScopes.metadata]);
    const headers = (await reader.users.messages.get({ userId: 'me', id: data.id!, format: 'metadata' })).data.payload!.headers!;
    expect(headers.find((h) => h.name === 'Message-ID')?.value).toMatch(/^<.+@mail\.gmail\.fake>$/);
  });

  it('refuses to send without a send scope, or without a recipient', async () => {
    const { gmail: reader } = await connected([gmailScopes.metadata]);
    const raw = Buffer.from('To: jane@acme.example\r\nSubject: Hi\r\n\r\nHello').toString('base64url');
    const refused = await rejection(reader.users.messages.send({ userId: 'me', requestBody: { raw } }));
    expect([refused.status, refused.message]).toEqual([403, 'Request had insufficient authentication scopes.']);

    const { gmail } = await connected([gmailScopes.send]);
    const nobody = await rejection(gmail.users.messages.send({ userId: 'me', requestBody: { raw: Buffer.from('Subject: Hi\r\n\r\nHello').toString('base64url') } }));
    expect([nobody.status, nobody.message]).toEqual([400, 'Recipient address required']);
    expect(fake.sent(rep)).toEqual([]);
  });
});

describe('Pub/Sub push helpers', () => {
  it('encodes historyId as a JSON number by default, or as a string, and writes ids twice', () => {
    const asNumber = pushBody({ emailAddress: rep, historyId: '9876543210', messageId: '42', publishTime: '2026-03-02T09:00:00Z' });
    const asString = pushBody({ emailAddress: rep, historyId: 1710, historyIdAs: 'string' });

    expect(Buffer.from(asNumber.message.data, 'base64').toString()).toBe(`{"emailAddress":"${rep}","historyId":9876543210}`);
    expect(JSON.parse(Buffer.from(asString.message.data, 'base64').toString())).toEqual({ emailAddress: rep, historyId: '1710' });
    expect(asNumber.message).toMatchObject({ messageId: '42', message_id: '42', publishTime: '2026-03-02T09:00:00.000Z', publish_time: '2026-03-02T09:00:00.000Z' });
    expect(asNumber.subscription).toMatch(/^projects\/[^/]+\/subscriptions\/[^/]+$/);
  });

  it('posts the body with the bearer token, and reads the status as Pub/Sub would', async () => {
    const seen: Array<{ auth: string | undefined; body: string }> = [];
    const endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body });
        res.writeHead(seen.length === 1 ? 204 : 500).end();
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/webhooks/gmail`;
    const body = pushBody({ emailAddress: rep, historyId: 1 });

    try {
      expect(await sendPush(url, body, { bearer: 'token-1' })).toMatchObject({ status: 204, acked: true });
      expect(await sendPush(url, body)).toMatchObject({ status: 500, acked: false });
    } finally {
      await new Promise((resolve) => endpoint.close(resolve));
    }
    expect(seen[0]).toEqual({ auth: 'Bearer token-1', body: JSON.stringify(body) });
    expect(seen[1]?.auth).toBeUndefined();
  });

  it('signs an OIDC token that google-auth-library verifies with the injected certs, for its audience only', async () => {
    const identity = pubsubIdentity({ audience: 'https://guanxi.test/webhooks/gmail' });
    const verifier = new Auth.OAuth2Client();

    const ticket = await verifier.verifySignedJwtWithCertsAsync(identity.signJwt(), identity.certs, identity.audience, ['https://accounts.google.com']);

    expect(ticket.getPayload()).toMatchObject({ iss: 'https://accounts.google.com', email: identity.email, email_verified: true, aud: identity.audience });
    await expect(
      verifier.verifySignedJwtWithCertsAsync(identity.signJwt({ aud: 'https://elsewhere.test/' }), identity.certs, identity.audience),
    ).rejects.toThrow(/Wrong recipient/);
    await expect(
      verifier.verifySignedJwtWithCertsAsync(identity.signJwt(), pubsubIdentity().certs, identity.audience),
    ).rejects.toThrow(/No pem found/);
  });

  it('verifies through verifyIdToken when the Gmail fake serves the same keys as certs', async () => {
    const identity = pubsubIdentity();
    const fake = await startGmailFake({ signingKeys: identity.keys });
    try {
      const verifier = new Auth.OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: fake.certsUrl } });

      const ticket = await verifier.verifyIdToken({ idToken: identity.signJwt(), audience: identity.audience });

      expect(ticket.getPayload()?.email).toBe(identity.email);
      await expect(verifier.verifyIdToken({ idToken: identity.signJwt(), audience: 'https://elsewhere.test/' })).rejects.toThrow(/Wrong recipient/);
      expect(fake.callsTo('oauth2.certs')).toHaveLength(1); // cached after, per Cache-Control
    } finally {
      await fake.close();
    }
  });
});
