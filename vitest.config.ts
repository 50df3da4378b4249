import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    // Node reads NODE_EXTRA_CA_CERTS only when a process starts. The forks pool
    // spawns each worker with `test.env` in its environment, so the workers (and
    // any process they spawn) trust the test CA that signs the HTTPS fakes'
    // certificate; worker threads would share this process's store and not.
    pool: 'forks',
    env: { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./tests/support/certs/ca.crt', import.meta.url)) },
  },
});
