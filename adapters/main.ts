import { loadConfig } from '../src/config.ts';
import { describeSetup } from '../src/describe-setup.ts';
import { GuanxiError } from '../src/errors.ts';
import { startServer } from './server.ts';

/** Starts the service; stops it cleanly (pending writes flushed, lock released) on SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  console.log(describeSetup(config, `http://localhost:${new URL(server.url).port}`));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping guanxi…`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Problems an operator can fix are told as sentences; anything else with its stack.
  console.error(error instanceof GuanxiError ? `guanxi cannot start. ${error.message}` : error);
  process.exit(1);
});
