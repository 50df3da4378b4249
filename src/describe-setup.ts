import { resolve } from 'node:path';
import type { Config } from './config.ts';

/** What the operator reads at start: what is on, and which variables would turn on the rest. */
export function describeSetup(config: Config, url: string): string {
  const lines = [`guanxi is running at ${url} (health check: ${url}/healthz)`];
  lines.push(config.databaseUrl ? `  Store: PostgreSQL at ${new URL(config.databaseUrl).host} (DATABASE_URL)` : `  Store: JSON files in ${resolve(config.dataDir)}`);
  switch (config.slack.mode) {
    case 'http':
      lines.push(`  Slack: on, over HTTP. Slack must reach ${config.publicUrl}/slack/events (set PUBLIC_URL to the address it uses).`);
      break;
    case 'socket':
      lines.push('  Slack: on, over Socket Mode (no public address needed).');
      break;
    case 'off':
      lines.push(
        '  Slack: off. Create the app from manifests/slack.yaml (README, "Connect Slack"), then set',
        '         SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SLACK_APP_TOKEN and SLACK_BOT_TOKEN for Socket Mode.',
      );
  }
  lines.push(
    config.gmail
      ? `  Gmail: on. Pub/Sub pushes to ${config.publicUrl}/webhooks/gmail?token=…; reps type /crm connect gmail.`
      : '  Gmail: off. Set GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_PUBSUB_TOPIC, WEBHOOK_SECRET and ENCRYPTION_KEY (README, "Connect Gmail").',
    config.outlook
      ? `  Outlook: on. Microsoft Graph notifies ${config.publicUrl}/webhooks/outlook; reps type /crm connect outlook.`
      : '  Outlook: off. Set MS_CLIENT_ID, MS_CLIENT_SECRET, MS_TENANT_ID, WEBHOOK_SECRET and ENCRYPTION_KEY (README, "Connect Outlook").',
  );
  lines.push(`  Time zone for people whose zone is unknown: ${config.defaultTimeZone} (TZ_DEFAULT).`);
  lines.push('  Terminal: npm run crm -- help');
  return lines.join('\n');
}
