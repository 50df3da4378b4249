import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';

/**
 * The child of crash.test.ts: opens the lowdb store in DIR with tiny
 * compaction limits (so compactions run all the time) and writes until it is
 * killed, printing one line per write only once the write's promise resolved:
 *
 *   int <id>            interactions.insert
 *   msg <id>            one of insertMessages' inserted interactions
 *   upd <id> <summary>  interactions.update of an interaction acknowledged before
 *   cus <id>            customers.insert
 *   blk <id> <then>     blocks.put; `then-removed` if a blocks.remove follows at once
 *   unb <id>            blocks.remove (true)
 *
 * Run: node tests/integration/store/crash-writer.ts DIR PREFIX
 */

const [dir, prefix] = process.argv.slice(2);
if (!dir || !prefix) {
  console.error('usage: node tests/integration/store/crash-writer.ts DIR PREFIX');
  process.exit(2);
}

const store = await openLowdbStore(dir, {
  compaction: { lines: 40, bytes: 16 * 1024 },
  // Interactions read back as lines, as a large store reads them, to be written over after a crash.
  scanFromBytes: 0,
  log: { info: () => {}, warn: (m) => void process.stderr.write(`${m}\n`), error: (m) => void process.stderr.write(`${m}\n`) },
});
const ack = (line: string) => void process.stdout.write(`${line}\n`);

function interaction(id: string, fields: Partial<Interaction> = {}): Interaction {
  return {
    id,
    customerId: `cus_${prefix}_${id.length % 7}`,
    kind: 'note',
    summary: `Crash test note ${id}, padded so that records have a realistic size for a timeline entry.`,
    occurredAt: new Date(Date.UTC(2025, 0, 1) + id.length * 1000).toISOString(),
    loggedAt: new Date().toISOString(),
    loggedBy: 'U1',
    linkReason: 'manual',
    permalink: null,
    ...notAMessage,
    ...fields,
  };
}

const acknowledged: Interaction[] = [];

for (let round = 0; ; round++) {
  const writes: Promise<void>[] = [];
  // A burst of concurrent inserts: they share appends (group commit).
  for (let k = 0; k < 8; k++) {
    const record = interaction(`int_${prefix}_${round}_${k}`);
    writes.push(store.interactions.insert(record).then(() => void (acknowledged.push(record), ack(`int ${record.id}`))));
  }
  // A batch of messages, one write.
  const batch = [0, 1, 2].map((k) =>
    interaction(`msg_${prefix}_${round}_${k}`, {
      kind: 'email',
      linkReason: 'domain',
      source: { provider: 'gmail', mailbox: 'ana@ours.com', providerId: `g${prefix}${round}${k}`, messageId: `${prefix}.${round}.${k}@mail.acme.com`, threadId: null },
      participants: ['jane@acme.com'],
    }),
  );
  writes.push(store.interactions.insertMessages(batch).then((inserted) => inserted.forEach((record) => ack(`msg ${record.id}`))));
  // Replace an interaction acknowledged earlier.
  const earlier = acknowledged[(round * 7) % Math.max(1, acknowledged.length)];
  if (earlier) {
    const summary = `updated in round ${round}`;
    writes.push(store.interactions.update({ ...earlier, summary }).then(() => ack(`upd ${earlier.id} ${summary}`)));
  }
  const customerId = `cus_${prefix}_${round}`;
  writes.push(
    store.customers
      .insert({ id: customerId, name: `Crash ${prefix} ${round}`, domains: [`crash-${prefix}-${round}.com`], ownerId: null, createdAt: new Date().toISOString(), createdBy: 'U1' })
      .then(() => ack(`cus ${customerId}`)),
  );
  const blockId = `@crash-${prefix}-${round}.com`;
  const removeNext = round % 2 === 0;
  writes.push(
    store.blocks.put({ id: blockId, createdAt: new Date().toISOString(), createdBy: 'U1' }).then(async () => {
      ack(`blk ${blockId} ${removeNext ? 'then-removed' : 'kept'}`);
      if (removeNext && (await store.blocks.remove(blockId))) ack(`unb ${blockId}`);
    }),
  );
  await Promise.all(writes);
}
