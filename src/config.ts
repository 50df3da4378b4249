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
  // The PostgreSQL store is not built yet: saying so beats silently writing to DATA_DIR.
  DATABASE_URL: optional.refine((value) => value === null, {
    message: 'is set, but this version of guanxi keeps its data only in the files in DATA_DIR: unset DATABASE_URL',
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
});

export type SlackConfig =
  | { mode: 'off' }
  | { mode: 'http'; signingSecret: string; botToken: string; apiUrl: string }
  | { mode: 'socket'; appToken: string; botToken: string; signingSecret: string | null; apiUrl: string };

export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  publicUrl: string;
  internalDomains: string[];
  defaultTimeZone: string;
  slack: SlackConfig;
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
  if ('problem' in slack) throw new ConfigError([slack.problem]);
  return {
    port: vars.PORT,
    dataDir: vars.DATA_DIR,
    databaseUrl: vars.DATABASE_URL,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    internalDomains: vars.INTERNAL_DOMAINS,
    defaultTimeZone: vars.TZ_DEFAULT,
    slack,
  };
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
