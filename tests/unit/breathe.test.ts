import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { breathe } from '../../src/breathe.ts';

describe('breathe', () => {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const closable of open.splice(0)) closable.close();
  });

  it('lets a request that arrived meanwhile through, even when the work began in an I/O callback', async () => {
    const order: string[] = [];
    const clients: Socket[] = [];
    const finished = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        socket.on('data', async (data) => {
          order.push(`${data} arrived`);
          if (String(data) !== 'first') return;
          // The second request reaches the server while the first one's work runs.
          clients[1]!.write('second');
          await breathe();
          order.push('first goes on');
          resolve();
        });
      });
      open.push(server);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        clients.push(connect(port, '127.0.0.1'), connect(port, '127.0.0.1'));
        for (const client of clients) open.push({ close: () => client.destroy() });
        let connected = 0;
        for (const client of clients) {
          client.on('connect', () => {
            if (++connected === 2) clients[0]!.write('first');
          });
        }
      });
    });

    await finished;

    expect(order).toEqual(['first arrived', 'second arrived', 'first goes on']);
  });
});
