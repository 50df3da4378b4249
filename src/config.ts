import { z } from 'zod';
import { isTimeZone } from './domain/fields.ts';
import { ConfigError } from './errors.ts';

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? null : value.trim()));

const baseUrl = (example: string) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      message: `must be an http(s) URL such as ${example}`,
    });

const envSchema = z.object({
  PORT: z
    .string()
    .trim()
    .default('3000')
    .refine((value) => /^\d+$/.test(value) && Number(value) <= 65535, 'must be a port number from 0 to 65535, such as 3000')
    .transform(Number),
  DATA_DIR: z.string().trim().min(1, 'must name a folder, such as ./data').default('./data'),
  DATABASE_URL: optional.refine((value) => value === null || isPostgresUrl(value), {
    message: 'must be a PostgreSQL URL such as postgres://guanxi:password@db.example.com:5432/guanxi (or unset it to keep the data in DATA_DIR)',
  }),
  PUBLIC_URL: optional.refine((value) => value === null || URL.canParse(value), {
    message: 'must be the address Slack and customers reach, such as https://crm.example.com',
  }),
  INTERNAL_DOMAINS: optional.transform((value, ctx) => {
    const domains = (value ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
    for (const domain of domains) {
      if (!/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(domain)) {
        ctx.addIssue({ code: 'custom', message: `"${domain}" is not a domain; list your team's mail domains separated by commas, such as example.com,example.co.uk` });
      }
    }
    return domains;
  }),
  TZ_DEFAULT: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, 'must be an IANA time zone name such as Europe/Paris or America/New_York'),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.refine((value) => value === null || value.startsWith('xoxb-'), {
    message: 'must be the bot token from your Slack app\'s "OAuth & Permissions" page; it starts with xoxb-',
  }),
  SLACK_APP_TOKEN: optional.refine((value) => value === null || value.startsWith('xapp-'), {
    message: 'must be an app-level token with the connections:write scope ("Basic Information" page); it starts with xapp-',
  }),
  SLACK_API_URL: baseUrl('https://slack.com/api/').default('https://slack.com/api/'),
  GOOGLE_CLIENT_ID: optional,
  GOOGLE_CLIENT_SECRET: optional,
  GOOGLE_PUBSUB_TOPIC: optional.refine((value) => value === null || /^projects\/[^/]+\/topics\/[^/]+$/.test(value), {
    message: 'must be the full topic name, such as projects/my-project/topics/gmail-push',
  }),
  GOOGLE_API_ROOT_URL: baseUrl('https://gmail.googleapis.com/').default('https://gmail.googleapis.com/'),
  GOOGLE_TOKEN_URL: baseUrl('https://oauth2.googleapis.com/token').default('https://oauth2.googleapis.com/token'),
  WEBHOOK_SECRET: optional.refine((value) => value === null || value.length >= 16, {
    message: 'must be at least 16 characters; make one with: openssl rand -hex 32',
  }),
  ENCRYPTION_KEY: optional.refine((value) => value === null || value.length >= 32, {
    message: 'must be at least 32 characters; make one with: openssl rand -hex 32 (and keep it: stored mail grants cannot be read without it)',
  }),
  MS_CLIENT_ID: optional,
  MS_CLIENT_SECRET: optional,
  MS_TENANT_ID: optional.refine((value) => value === null || /^[A-Za-z0-9.-]+$/.test(value), {
    message: 'must be your directory (tenant) id from the app registration\'s Overview page, or its domain such as contoso.onmicrosoft.com',
  }),
  GRAPH_BASE_URL: baseUrl('https://graph.microsoft.com/').default('https://graph.microsoft.com/'),
  MS_AUTHORITY_URL: baseUrl('https://login.microsoftonline.com/').default('https://login.microsoftonline.com/'),
  MAIL_BACKFILL_DAYS: z
    .string()
    .trim()
    .default('30')
    .refine((value) => /^\d+$/.test(value) && Number(value) <= 3650, 'must be a whole number of days from 0 to 3650, such as 30')
    .transform(Number),
});

function isPostgresUrl(value: string): boolean {
  return URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol);
}

export interface OutlookConfig {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** Ends with `/`; requests go to `<graphBaseUrl>v1.0/…`. */
  graphBaseUrl: string;
  /** Ends with `/`; the authority is `<authorityUrl><tenantId>`. */
  authorityUrl: string;
}

export interface GmailConfig {
  clientId: string;
  clientSecret: string;
  pubsubTopic: string;
  apiRootUrl: string;
  tokenUrl: string;
}

export type SlackConfig =
  | { mode: 'off' }
  | { mode: 'http'; signingSecret: string; botToken: string; apiUrl: string }
  | { mode: 'socket'; appToken: string; botToken: string; signingSecret: string | null; apiUrl: string };

export interface Config {
  port: number;
  dataDir: string;
  /** Set: the PostgreSQL store, shared by every instance; null: the lowdb files in `dataDir`. */
  databaseUrl: string | null;
  publicUrl: string;
  internalDomains: string[];
  defaultTimeZone: string;
  slack: SlackConfig;
  /** Null while Gmail is not configured. */
  gmail: GmailConfig | null;
  /** Null while Outlook is not configured. */
  outlook: OutlookConfig | null;
  /** Mail needs both; null while no mail provider is configured. */
  webhookSecret: string | null;
  encryptionKey: string | null;
  /** How far back a newly connected mailbox is read. */
  backfillDays: number;
}

/**
 * Reads the environment once, at start. Every problem is reported together,
 * each with the variable's name and how to fix it.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const vars = parsed.data;
  const slack = slackConfig(vars);
  const gmail = gmailConfig(vars);
  const outlook = outlookConfig(vars);
  const problems = [slack, gmail, outlook].flatMap((c) => (c && 'problem' in c ? [c.problem] : []));
  if ((gmail && !('problem' in gmail)) || (outlook && !('problem' in outlook))) {
    if (!vars.WEBHOOK_SECRET) problems.push('WEBHOOK_SECRET is required once mail is on: it proves that mail notifications come from your own subscriptions. Make one with: openssl rand -hex 32');
    if (!vars.ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY is required once mail is on: it encrypts the stored mailbox grants. Make one with: openssl rand -hex 32');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: vars.PORT,
    dataDir: vars.DATA_DIR,
    databaseUrl: vars.DATABASE_URL,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    internalDomains: vars.INTERNAL_DOMAINS,
    defaultTimeZone: vars.TZ_DEFAULT,
    slack: slack as SlackConfig,
    gmail: gmail as GmailConfig | null,
    outlook: outlook as OutlookConfig | null,
    webhookSecret: vars.WEBHOOK_SECRET,
    encryptionKey: vars.ENCRYPTION_KEY,
    backfillDays: vars.MAIL_BACKFILL_DAYS,
  };
}

function outlookConfig(vars: z.infer<typeof envSchema>): OutlookConfig | { problem: string } | null {
  const given = { MS_CLIENT_ID: vars.MS_CLIENT_ID, MS_CLIENT_SECRET: vars.MS_CLIENT_SECRET, MS_TENANT_ID: vars.MS_TENANT_ID };
  const missing = Object.entries(given).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length === 3) return null;
  if (missing.length > 0) {
    return { problem: `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set, but other MS_ variables are: Outlook needs the app registration's client id, a client secret and the tenant id (Microsoft Entra admin center). See the README, "Connect Outlook".` };
  }
  const slash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
  return { clientId: given.MS_CLIENT_ID!, clientSecret: given.MS_CLIENT_SECRET!, tenantId: given.MS_TENANT_ID!, graphBaseUrl: slash(vars.GRAPH_BASE_URL), authorityUrl: slash(vars.MS_AUTHORITY_URL) };
}

function gmailConfig(vars: z.infer<typeof envSchema>): GmailConfig | { problem: string } | null {
  const { GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret, GOOGLE_PUBSUB_TOPIC: pubsubTopic } = vars;
  if (!clientId && !clientSecret && !pubsubTopic) return null;
  const missing = Object.entries({ GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret, GOOGLE_PUBSUB_TOPIC: pubsubTopic })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (clientId && clientSecret && pubsubTopic) {
    return { clientId, clientSecret, pubsubTopic, apiRootUrl: vars.GOOGLE_API_ROOT_URL, tokenUrl: vars.GOOGLE_TOKEN_URL };
  }
  return { problem: `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set, but other GOOGLE_ variables are: Gmail needs the OAuth client's id and secret (Google Cloud console, "Credentials") and the Pub/Sub topic Gmail publishes to. See the README, "Connect Gmail".` };
}

function slackConfig(vars: z.infer<typeof envSchema>): SlackConfig | { problem: string } {
  const { SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken } = vars;
  const apiUrl = vars.SLACK_API_URL.endsWith('/') ? vars.SLACK_API_URL : `${vars.SLACK_API_URL}/`;
  if (!signingSecret && !botToken && !appToken) return { mode: 'off' };
  if (!botToken) {
    return { problem: 'SLACK_BOT_TOKEN is not set, but other SLACK_ variables are: copy the bot token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page, or unset the SLACK_ variables to run without Slack' };
  }
  if (appToken) return { mode: 'socket', appToken, botToken, signingSecret, apiUrl };
  if (!signingSecret) {
    return { problem: 'SLACK_SIGNING_SECRET is not set: copy the signing secret from your Slack app\'s "Basic Information" page (or set SLACK_APP_TOKEN to use Socket Mode instead)' };
  }
  return { mode: 'http', signingSecret, botToken, apiUrl };
}
