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
    const finished = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        socket.on('data', async (data) => {
          order.push(`${data} arrived`);
          if (String(data) !== 'first') return;
          // A slice of work long enough for the second request to arrive while it runs.
          const until = Date.now() + 30;
          while (Date.now() < until);
          await breathe();
          order.push('first goes on');
          resolve();
        });
      });
      open.push(server);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        const clients: Socket[] = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
        for (const client of clients) open.push({ close: () => client.destroy() });
        let connected = 0;
        for (const client of clients) {
          client.on('connect', () => {
            if (++connected < 2) return;
            clients[0]!.write('first');
            setTimeout(() => clients[1]!.write('second'), 10);
          });
        }
      });
    });

    await finished;

    expect(order).toEqual(['first arrived', 'second arrived', 'first goes on']);
  });
});
