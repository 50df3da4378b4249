import { createHmac, randomBytes } from 'node:crypto';
import { fakeWorkspace } from './slack-fake.ts';

/**
 * Requests to the app the way Slack sends them: signed (PLATFORMS.md A1) slash
 * commands (A2), Events API callbacks (A3) and interactivity payloads (A4).
 * Timestamps default to the real current time, because the app checks
 * staleness against its own clock.
 */

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sent instead of the computed signature, to test rejection. */
  signature?: string;
}

export interface SlackRequestResult {
  status: number;
  headers: Headers;
  body: string;
  elapsedMs: number;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` (PLATFORMS.md A1). */
export function signSlackRequest(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SlashCommandFields {
  text: string;
  user_id: string;
  response_url: string;
  channel_id?: string;
  trigger_id?: string;
  [field: string]: string | undefined;
}

/** POSTs `/crm` with every field Slack sends, in Slack's order (PLATFORMS.md A2). */
export function slashCommand(
  baseUrl: string,
  secret: string,
  fields: SlashCommandFields,
  opts: SignOptions = {},
): Promise<SlackRequestResult> {
  const channelId = fields.channel_id ?? 'C0FAKEGEN1';
  const form: Record<string, string> = {
    token: 'fake-verification-token',
    team_id: fakeWorkspace.teamId,
    team_domain: fakeWorkspace.teamDomain,
    channel_id: channelId,
    channel_name: channelId.startsWith('D') ? 'directmessage' : 'general',
    user_id: fields.user_id,
    user_name: fields.user_id.toLowerCase(),
    command: '/crm',
    text: fields.text,
    api_app_id: fakeWorkspace.appId,
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? newTriggerId(),
  };
  // Extra fields (say `enterprise_id`) follow Slack's own; given ones override the defaults in place.
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) form[field] = value;
  return postSigned(baseUrl, secret, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded', opts);
}

export interface EventOptions extends SignOptions {
  eventId?: string;
  /** 1–3 on Slack's redeliveries; sets `X-Slack-Retry-Num`. */
  retryNum?: number;
  retryReason?: string;
}

/** POSTs an `event_callback` envelope around `event` (PLATFORMS.md A3). */
export function sendEvent(
  baseUrl: string,
  secret: string,
  event: Record<string, unknown>,
  opts: EventOptions = {},
): Promise<SlackRequestResult> {
  const timestamp = opts.timestamp ?? nowSeconds();
  const envelope = {
    token: 'fake-verification-token',
    team_id: fakeWorkspace.teamId,
    api_app_id: fakeWorkspace.appId,
    event: { event_ts: `${timestamp}.000100`, ...event },
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: timestamp,
    authorizations: [
      { enterprise_id: null, team_id: fakeWorkspace.teamId, user_id: fakeWorkspace.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: fakeWorkspace.teamId, aid: fakeWorkspace.appId })).toString('base64url')}`,
  };
  const headers: Record<string, string> = {};
  if (opts.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    headers['X-Slack-Retry-Reason'] = opts.retryReason ?? 'http_timeout';
  }
  return postSigned(baseUrl, secret, JSON.stringify(envelope), 'application/json', { ...opts, timestamp }, headers);
}

/** POSTs Slack's first Events API request, which Bolt answers with the challenge (PLATFORMS.md A3). */
export function sendUrlVerification(baseUrl: string, secret: string, challenge: string, opts: SignOptions = {}) {
  const body = JSON.stringify({ token: 'fake-verification-token', challenge, type: 'url_verification' });
  return postSigned(baseUrl, secret, body, 'application/json', opts);
}

/** POSTs a form with the single field `payload` holding JSON (PLATFORMS.md A4). */
export function sendInteraction(
  baseUrl: string,
  secret: string,
  payload: Record<string, unknown>,
  opts: SignOptions = {},
): Promise<SlackRequestResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(baseUrl, secret, body, 'application/x-www-form-urlencoded', opts);
}

/** A user id, or an id with a name (default: the id in lower case). */
export type UserRef = string | { id: string; name?: string };

export interface BlockActionInput {
  user: UserRef;
  actionId: string;
  value: string;
  blockId?: string;
  triggerId?: string;
  /** Message surfaces only; left out when not given so a stray respond() fails loudly. */
  responseUrl?: string;
  channelId?: string;
  /** A button in a modal or App Home: the payload then carries `view`, not `message`/`channel`. */
  view?: Record<string, unknown>;
  message?: Record<string, unknown>;
}

/** A button click, shaped after bolt-js `BlockAction` (PLATFORMS.md A4). */
export function blockActionPayload(input: BlockActionInput): Record<string, unknown> {
  const actionTs = `${nowSeconds()}.000200`;
  const action = { type: 'button', action_id: input.actionId, block_id: input.blockId ?? 'actions', value: input.value, text: { type: 'plain_text', text: input.value, emoji: true }, action_ts: actionTs };
  const common = {
    type: 'block_actions',
    user: slackUser(input.user),
    api_app_id: fakeWorkspace.appId,
    token: 'fake-verification-token',
    trigger_id: input.triggerId ?? newTriggerId(),
    team: slackTeam(),
    enterprise: null,
    is_enterprise_install: false,
    state: { values: {} },
    actions: [action],
  };
  if (input.view) {
    const view = modalView(input.view);
    return { ...common, container: { type: 'view', view_id: view.id }, view };
  }
  const channelId = input.channelId ?? 'C0FAKEGEN1';
  const message = { type: 'message', user: fakeWorkspace.botUserId, bot_id: fakeWorkspace.botId, text: '', ts: `${nowSeconds()}.000100`, ...input.message };
  return {
    ...common,
    container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: channelName(channelId) },
    message,
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
  };
}

export interface ViewSubmissionInput {
  user: UserRef;
  callbackId: string;
  privateMetadata?: string;
  /** `state.values[block_id][action_id]`; a bare string stands for a plain-text input's value. */
  values: Record<string, Record<string, string | Record<string, unknown>>>;
  viewId?: string;
  triggerId?: string;
}

/** A modal's Submit, shaped after bolt-python `test_view_submission.py` (PLATFORMS.md A4). */
export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const values = Object.fromEntries(
    Object.entries(input.values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, v]) => [actionId, typeof v === 'string' ? { type: 'plain_text_input', value: v } : v]),
      ),
    ]),
  );
  return {
    type: 'view_submission',
    team: slackTeam(),
    user: slackUser(input.user),
    api_app_id: fakeWorkspace.appId,
    token: 'fake-verification-token',
    trigger_id: input.triggerId ?? newTriggerId(),
    view: modalView({
      ...(input.viewId ? { id: input.viewId } : {}),
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? '',
      state: { values },
    }),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface MessageShortcutInput {
  user: UserRef;
  callbackId: string;
  channelId: string;
  message: { ts: string; text: string; user: string };
  triggerId?: string;
  responseUrl: string;
}

/** A message shortcut (`message_action`) on someone's message (PLATFORMS.md A4). */
export function messageShortcutPayload(input: MessageShortcutInput): Record<string, unknown> {
  return {
    type: 'message_action',
    token: 'fake-verification-token',
    action_ts: `${nowSeconds()}.000300`,
    team: slackTeam(),
    user: slackUser(input.user),
    channel: { id: input.channelId, name: channelName(input.channelId) },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId ?? newTriggerId(),
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: { type: 'message', team: fakeWorkspace.teamId, ...input.message },
  };
}

/** Shaped like Slack's: `{number}.{number}.{32 hex}`, unique per call. */
export function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

async function postSigned(
  baseUrl: string,
  secret: string,
  body: string,
  contentType: string,
  opts: SignOptions,
  extraHeaders: Record<string, string> = {},
): Promise<SlackRequestResult> {
  const timestamp = opts.timestamp ?? nowSeconds();
  const started = performance.now();
  // A string body keeps the content type exactly as Slack sends it (no `;charset=`).
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': opts.signature ?? signSlackRequest(secret, timestamp, body),
      ...extraHeaders,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text, elapsedMs: performance.now() - started };
}

function modalView(view: Record<string, unknown>): Record<string, any> {
  const id = typeof view.id === 'string' ? view.id : 'V0FAKEVIEW';
  return {
    id, team_id: fakeWorkspace.teamId, type: 'modal', blocks: [], private_metadata: '', callback_id: '',
    state: { values: {} }, hash: `${nowSeconds()}.fakehash`, title: { type: 'plain_text', text: 'guanxi' },
    clear_on_close: false, notify_on_close: false, close: null, submit: null,
    previous_view_id: null, root_view_id: id, app_id: fakeWorkspace.appId, external_id: '',
    app_installed_team_id: fakeWorkspace.teamId, bot_id: fakeWorkspace.botId,
    ...view,
  };
}

function slackUser(user: UserRef): Record<string, string> {
  const { id, name = id.toLowerCase() } = typeof user === 'string' ? { id: user } : user;
  return { id, username: name, name, team_id: fakeWorkspace.teamId };
}

function slackTeam(): Record<string, string> {
  return { id: fakeWorkspace.teamId, domain: fakeWorkspace.teamDomain };
}

function channelName(channelId: string): string {
  return channelId.startsWith('D') ? 'directmessage' : 'general';
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
