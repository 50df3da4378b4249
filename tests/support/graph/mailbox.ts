import type { MicrosoftUser } from './identity.ts';
import { graphId, type StoredMessage } from './message-shape.ts';

/** The folders a test delivers to; delta runs per folder (PLATFORMS.md C6). */
export type FolderName = 'inbox' | 'sentitems';
export const folderNames: readonly FolderName[] = ['inbox', 'sentitems'];

export interface MailboxEntry {
  message: StoredMessage;
  folder: FolderName;
  /** Change-log position of the arrival, and of the removal once removed. */
  createdSeq: number;
  removedSeq: number | undefined;
}

export interface Change {
  entry: MailboxEntry;
  removed: boolean;
  created: boolean;
}

/**
 * One Outlook mailbox: its messages (removed ones kept, so a page computed
 * late still shows them as they were) and an append-only change log that the
 * delta query reads between two positions. `deltaEpoch` rises when a test
 * expires the mailbox's delta tokens.
 */
/** A message sent by POST /sendMail: the sender is the mailbox, the rest as the request gave it. */
export interface SentMail {
  from: string;
  to: string[];
  subject: string;
  contentType: 'text' | 'html';
  content: string;
}

export class OutlookMailbox {
  readonly user: MicrosoftUser;
  readonly folderIds: Record<FolderName, string>;
  /** What sendMail sent from this mailbox, as its recipients read it, oldest first. */
  readonly sent: SentMail[] = [];
  readonly #entries = new Map<string, MailboxEntry>();
  readonly #log: Array<{ seq: number; id: string }> = [];
  #seq = 0;
  #unnotified: string[] = [];
  deltaEpoch = 0;

  /** Kept on an on-premises Exchange server: the user is in the directory, but Graph cannot reach the mail. */
  readonly onPremises: boolean;

  constructor(user: MicrosoftUser, options: { onPremises?: boolean } = {}) {
    this.user = user;
    this.onPremises = options.onPremises ?? false;
    this.folderIds = { inbox: graphId('AQMkAD', `${user.id}:inbox`), sentitems: graphId('AQMkAD', `${user.id}:sentitems`) };
  }

  get seq(): number {
    return this.#seq;
  }

  /** `inbox`, `Inbox`, `sentItems` or a folder id. */
  folderOf(ref: string): FolderName | undefined {
    const lower = ref.toLowerCase();
    return folderNames.find((name) => name === lower || this.folderIds[name] === ref);
  }

  nextSeq(): number {
    return this.#seq + 1;
  }

  add(message: StoredMessage, folder: FolderName): MailboxEntry {
    if (this.#entries.has(message.id)) throw new Error(`${this.user.address} already holds message ${message.id}`);
    const entry: MailboxEntry = { message, folder, createdSeq: ++this.#seq, removedSeq: undefined };
    this.#entries.set(message.id, entry);
    this.#log.push({ seq: entry.createdSeq, id: message.id });
    this.#unnotified.push(message.id);
    return entry;
  }

  remove(id: string): void {
    const entry = this.present(id);
    if (!entry) throw new Error(`${this.user.address} holds no message ${id}`);
    entry.removedSeq = ++this.#seq;
    this.#log.push({ seq: entry.removedSeq, id });
  }

  present(id: string): MailboxEntry | undefined {
    const entry = this.#entries.get(id);
    return entry && entry.removedSeq === undefined ? entry : undefined;
  }

  /** The folder's messages as they stood at `upTo`, newest received first. */
  snapshot(folder: FolderName, upTo: number): MailboxEntry[] {
    return [...this.#entries.values()]
      .filter((e) => e.folder === folder && e.createdSeq <= upTo && (e.removedSeq === undefined || e.removedSeq > upTo))
      .sort((a, b) => received(b) - received(a) || b.createdSeq - a.createdSeq);
  }

  /**
   * What changed in the folder after `since` up to `upTo`, one item per
   * message in the order of its last change; a message both added and removed
   * inside the window is left out.
   */
  changes(folder: FolderName, since: number, upTo: number): Change[] {
    const last = new Map<string, number>();
    for (const { seq, id } of this.#log) if (seq > since && seq <= upTo) last.set(id, seq);
    const changes: Change[] = [];
    for (const [id] of [...last].sort((a, b) => a[1] - b[1])) {
      const entry = this.#entries.get(id)!;
      if (entry.folder !== folder) continue;
      const removed = entry.removedSeq !== undefined && entry.removedSeq <= upTo;
      const created = entry.createdSeq > since;
      if (removed && created) continue;
      changes.push({ entry, removed, created });
    }
    return changes;
  }

  /** Messages delivered since the last call, oldest first. */
  takeUnnotified(): MailboxEntry[] {
    const ids = this.#unnotified;
    this.#unnotified = [];
    return ids.map((id) => this.#entries.get(id)!).filter((e) => e.removedSeq === undefined);
  }
}

function received(entry: MailboxEntry): number {
  return Date.parse(String(entry.message.properties.receivedDateTime));
}
