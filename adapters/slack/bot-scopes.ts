/** The bot scopes guanxi uses, those manifests/slack.yaml asks for, and what each one is for. */
export const botScopes: Readonly<Record<string, string>> = {
  commands: 'the /crm command',
  'chat:write': 'replies, DMs (reminders, digests, alerts) and polls in channels',
  'users:read': "people's names and time zones",
  'users:read.email': "people's mail addresses, to tell teammates from customers",
  'channels:history': 'logging linked public channels',
  'groups:history': 'logging linked private channels',
};
