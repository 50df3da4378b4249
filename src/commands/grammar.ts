import { UserInputError } from '../errors.ts';
import type { CommandName } from './command.ts';

/** How one command is written: the source of `/crm help` and of every parse error's hint. */
export interface CommandHelp {
  usage: string;
  description: string;
  example: string;
}

/** In the order `/crm help` lists them. */
export const grammar: Readonly<Record<CommandName, CommandHelp>> = {
  find: {
    usage: '/crm find <anything>',
    description: 'Find customers and contacts by name, domain or email address.',
    example: '/crm find acme',
  },
  add_customer: {
    usage: '/crm add customer <name> [domain…]',
    description: 'Add a customer, with the mail domains that belong to it.',
    example: '/crm add customer "Acme Corp" acme.com acme.co.uk',
  },
  add_contact: {
    usage: '/crm add contact <email> [name] [customer]',
    description: 'Add a contact, with their name and the customer they work for if you know them.',
    example: '/crm add contact jane@acme.com "Jane Doe" acme',
  },
  log: {
    usage: '/crm log <customer> <call|meeting|note> <text>',
    description: "Log a call, meeting or note on a customer's timeline.",
    example: '/crm log acme call "Talked pricing, sending a quote Friday"',
  },
  remind: {
    usage: '/crm remind <customer> <when> <text>',
    description: 'Get a direct message at that time to follow up with a customer.',
    example: '/crm remind acme fri 9am "send quote"',
  },
  remind_list: {
    usage: '/crm remind list',
    description: 'List your open reminders.',
    example: '/crm remind list',
  },
  remind_snooze: {
    usage: '/crm remind snooze <id> <when>',
    description: 'Move a reminder to a later time.',
    example: '/crm remind snooze rem_7k2q9x3m4t tomorrow 9am',
  },
  remind_done: {
    usage: '/crm remind done <id>',
    description: 'Mark a reminder as done.',
    example: '/crm remind done rem_7k2q9x3m4t',
  },
  case_open: {
    usage: '/crm case <customer> <text> [due <when>]',
    description: "Open a case (a complaint or a request) on a customer. Without a due time, the deadline follows the customer's value tier: 1 working day for A, 2 for B, 5 for C. An open case past its deadline is sent to the owner's manager.",
    example: '/crm case acme "invoice 1042 charged twice" due fri 5pm',
  },
  case_list: {
    usage: '/crm case list',
    description: "List the team's open cases, overdue ones first.",
    example: '/crm case list',
  },
  case_close: {
    usage: '/crm case close <id> [note]',
    description: 'Close a case, with a note on how it was resolved; you are then offered to send the customer a poll.',
    example: '/crm case close case_7k2q9x3m4t "refunded the second charge"',
  },
  assign: {
    usage: '/crm assign <customer> <@owner>',
    description: 'Make a teammate the owner of a customer.',
    example: '/crm assign acme @jane',
  },
  connect: {
    usage: '/crm connect <gmail|outlook>, or as an admin /crm connect outlook <address>',
    description: 'Connect your mailbox: mail with customers is then logged to their timelines by itself.',
    example: '/crm connect gmail',
  },
  mail: {
    usage: '/crm mail',
    description: 'How each of your connected mailboxes is doing: last sync, messages logged, the last error.',
    example: '/crm mail',
  },
  poll: {
    usage: '/crm poll <contact email | customer> [csat | nps]',
    description: "Ask a customer how satisfied they are (CSAT, 1 to 5, the default) or how likely to recommend you (NPS, 0 to 10): by mail from your own mailbox, or as buttons in the customer's linked channel. Answers show on the card.",
    example: '/crm poll jane@acme.com nps',
  },
  link_channel: {
    usage: '/crm link <#channel> <customer>',
    description: "Log the messages of a channel (a Slack Connect channel with the customer, say) to that customer's timeline.",
    example: '/crm link #acme-shared acme',
  },
  unlink_channel: {
    usage: '/crm unlink <#channel>',
    description: 'Stop logging a channel.',
    example: '/crm unlink #acme-shared',
  },
  unlink: {
    usage: '/crm unlink <interaction> <customer>',
    description: "Take a wrongly linked mail or message off a customer's timeline; later syncs leave it off.",
    example: '/crm unlink int_7k2q9x3m4t acme',
  },
  suggestions: {
    usage: '/crm suggestions',
    description: 'Work domains seen in your mail that are not customers yet, to accept or dismiss.',
    example: '/crm suggestions',
  },
  suggestion_accept: {
    usage: '/crm suggestions accept <domain> [name]',
    description: 'Make a suggested domain a customer.',
    example: '/crm suggestions accept globex.com "Globex Corporation"',
  },
  suggestion_dismiss: {
    usage: '/crm suggestions dismiss <domain>',
    description: 'Stop suggesting a domain.',
    example: '/crm suggestions dismiss globex.com',
  },
  block: {
    usage: '/crm block <address or @domain>',
    description: 'Never log mail from or to this address or domain (private, personal, or noise). Admins only.',
    example: '/crm block @newsletter.example',
  },
  unblock: {
    usage: '/crm unblock <address or @domain>',
    description: 'Log mail from this address or domain again. Admins only.',
    example: '/crm unblock @newsletter.example',
  },
  block_list: {
    usage: '/crm block list',
    description: 'List what is blocked.',
    example: '/crm block list',
  },
  optout: {
    usage: '/crm optout <email>',
    description: "Note that a contact asked not to be contacted unasked: no poll goes to them, and their customer's card warns everyone.",
    example: '/crm optout jane@acme.com',
  },
  optin: {
    usage: '/crm optin <email>',
    description: 'Undo an opt-out: the contact may be contacted again.',
    example: '/crm optin jane@acme.com',
  },
  prefer: {
    usage: '/crm prefer <email> <from>-<to> [zone]',
    description: 'When a contact likes to be reached (9-12, 09:00-12:30, 2pm-5pm), in an IANA zone such as Europe/Paris, yours if none is given; polls wait for these hours. "none" clears them.',
    example: '/crm prefer jane@acme.com 9-12 Europe/Paris',
  },
  birthday: {
    usage: '/crm birthday <email> <date>',
    description: 'A contact\'s birthday, shown on the card: 03-21, 1984-03-21, 21 mar or mar 21. "none" clears it.',
    example: '/crm birthday jane@acme.com 21 mar',
  },
  team: {
    usage: '/crm team',
    description: 'The team: everyone who uses guanxi, with their role and manager.',
    example: '/crm team',
  },
  team_role: {
    usage: '/crm team <@user> role <rep|manager|admin>',
    description: 'Give a teammate a role (admins only). Admins change the team, block addresses, merge and forget.',
    example: '/crm team @jane role manager',
  },
  team_manager: {
    usage: '/crm team <@user> manager <@boss|none>',
    description: "Say whom a teammate reports to (admins only): their customers' overdue cases go to that manager.",
    example: '/crm team @jane manager @boss',
  },
  forget: {
    usage: '/crm forget <email>',
    description: 'Forget a person who asked to be (admins only): their contact and their address wherever it is stored; the address is blocked so new mail is not logged.',
    example: '/crm forget jane@acme.com',
  },
  deal: {
    usage: '/crm deal <customer> <amount> [lead|qualified|proposal|won|lost] [name]',
    description: "Record a deal, or move the customer's deal to another stage or amount. With several open deals, name the one you mean.",
    example: '/crm deal acme 12k proposal "Renewal 2027"',
  },
  deal_list: {
    usage: '/crm deal list [customer]',
    description: "The team's open deals, biggest first, or every deal of one customer.",
    example: '/crm deal list acme',
  },
  digest: {
    usage: '/crm digest',
    description: "Your morning digest, now: for a manager, where the team should act today; for a rep, your own day. It comes by itself at 08:00 on working days.",
    example: '/crm digest',
  },
  digest_time: {
    usage: '/crm digest time <time>',
    description: 'When your digest comes on working days, in your own time zone.',
    example: '/crm digest time 07:30',
  },
  digest_switch: {
    usage: '/crm digest <off|on>',
    description: 'Stop your daily digest, or start it again.',
    example: '/crm digest off',
  },
  jobs: {
    usage: '/crm jobs',
    description: 'For admins: each scheduled job, when it last ran and how that went, and when it runs next.',
    example: '/crm jobs',
  },
  duplicates: {
    usage: '/crm duplicates',
    description: "Pairs of customers that look like one (a domain name under two suffixes, a contact at the other's domain, near-identical names), each with why.",
    example: '/crm duplicates',
  },
  duplicates_dismiss: {
    usage: '/crm duplicates dismiss <customer> and <customer>',
    description: 'Say two customers listed by /crm duplicates are not one: the pair is listed no more.',
    example: '/crm duplicates dismiss "Acme Inc" and "Acme Logistics"',
  },
  merge: {
    usage: '/crm merge <customer> into <customer>',
    description: 'Admins: merge a duplicate into the customer to keep. Every contact, interaction, reminder, poll, case, deal, linked channel and domain moves; the old name and id lead to the one kept.',
    example: '/crm merge "Acme Inc" into "Acme Corp"',
  },
  help: {
    usage: '/crm help [command]',
    description: 'Show what you can do, or the details of one command.',
    example: '/crm help remind',
  },
};

/** The ways of writing `<when>`, shown wherever a time is asked for. */
export const timeExamples = 'tomorrow 9am, fri 2pm, next mon, in 3 days, in 2h, dec 1, 2026-12-01 14:00';

const entries = Object.entries(grammar) as [CommandName, CommandHelp][];

/** The first words that start a command: find, add, log, remind, assign, help. */
export const commandWords: readonly string[] = [...new Set(entries.map(([, help]) => firstWords(help.usage, 1)))];

/** Every help topic a user can ask for, such as `remind` or `add contact`. */
export const helpTopics: readonly string[] = [
  ...new Set(entries.flatMap(([, help]) => [firstWords(help.usage, 1), firstWords(help.usage, 2)])),
].filter((topic) => !topic.includes('<') && !topic.includes('['));

/** The words of a usage line after `/crm`, up to `count` of them. */
function firstWords(usage: string, count: number): string {
  return usage.split(' ').slice(1, 1 + count).join(' ');
}

/** The commands a topic covers: `remind` covers every remind command, `remind list` one. */
export function commandsForTopic(topic: string): CommandName[] {
  const words = topic.trim().toLowerCase().split(/\s+/).join(' ');
  return entries
    .filter(([, help]) => `${help.usage} `.startsWith(`/crm ${words} `))
    .map(([name]) => name);
}

export function renderHelp(): string {
  const lines = entries.map(([, help]) => `• ${help.usage}: ${help.description}`);
  return [
    '*guanxi* keeps your customers, contacts and follow-ups right here in Slack.',
    ...lines,
    `For examples, ask about one command, e.g. ${grammar.help.example}`,
  ].join('\n');
}

/** The help for one topic, or null when nothing is called that. */
export function renderTopic(topic: string): string | null {
  const names = commandsForTopic(topic);
  if (names.length === 0) return null;
  const sections = names.map((name) => {
    const help = grammar[name];
    return `*${help.usage}*\n${help.description}\nExample: ${help.example}`;
  });
  const needsTime = names.some((name) => name === 'remind' || name === 'remind_snooze' || name === 'case_open');
  return [...sections, ...(needsTime ? [`<when> can be written like: ${timeExamples}`] : [])].join('\n\n');
}

/** A parse error for `name`: `message` says what was wrong, the grammar shows the right form. */
export function usageError(name: CommandName, message: string): UserInputError {
  const { usage, example } = grammar[name];
  return new UserInputError(message, { usage, example });
}
