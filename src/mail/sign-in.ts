import { UserInputError } from '../errors.ts';
import { textReply, type Reply } from '../reply.ts';
import { providerName, type MailDeps } from './mail-deps.ts';
import type { MailProvider } from './mail-port.ts';

/** A sign-in link stays usable this long. */
const linkLifetimeMs = 30 * 60 * 1000;

/** The provider's sign-in page, carrying who asked in a signed state that expires. */
export function signInLink(deps: MailDeps, provider: MailProvider, memberId: string): Promise<string> {
  const connector = deps.connectors.get(provider);
  if (!connector) throw notConfigured(provider);
  const expires = new Date(deps.clock.now().getTime() + linkLifetimeMs);
  return connector.signInUrl(deps.secrets.sign({ member: memberId, provider }, expires));
}

/** `/crm connect gmail`: the link goes by DM, where only the rep sees it; the terminal prints it. */
export async function connectCommand(deps: MailDeps, provider: MailProvider, memberId: string): Promise<Reply> {
  const link = await signInLink(deps, provider, memberId);
  const invitation = textReply(`Connect your ${providerName[provider]} so your customer mail is logged by itself: <${link}|sign in with ${provider === 'gmail' ? 'Google' : 'Microsoft'}>. guanxi reads only who wrote to whom, the subject and the first words, never the body. The link works for 30 minutes.`);
  const sent = await deps.notifier?.direct(memberId, invitation);
  return sent ? textReply(`I've sent you a ${providerName[provider]} sign-in link in a direct message.`) : invitation;
}

/** Said when `provider` has no connector here: which variables an admin sets. */
export function notConfigured(provider: MailProvider): UserInputError {
  const variables = provider === 'gmail' ? 'GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and GOOGLE_PUBSUB_TOPIC' : 'MS_CLIENT_ID, MS_CLIENT_SECRET and MS_TENANT_ID';
  return new UserInputError(`${providerName[provider]} is not set up on this guanxi yet. An admin sets ${variables} (README, "Connect ${providerName[provider]}").`);
}
