import { userInfo } from 'node:os';
import { openCore } from '../app.ts';
import { runCommand } from '../commands/run-command.ts';
import { loadConfig } from '../config.ts';
import { GuanxiError } from '../errors.ts';
import { consoleLogger } from '../logger.ts';
import { noDirectory } from '../team/directory.ts';
import { migrate } from './migrate.ts';
import { renderText } from './render-text.ts';

/**
 * The same commands as `/crm`, from a terminal: `npm run crm -- find acme`;
 * and one only a terminal has: `migrate --to <url>` (see migrate.ts).
 * The shell has already split the words, so words holding spaces are quoted
 * again; and &, <, > are escaped as Slack escapes what a user types, so the
 * parser reads both alike.
 */
async function main(args: string[]): Promise<number> {
  if (args[0] === 'migrate') return migrate(args.slice(1), loadConfig(), (line) => console.log(line), consoleLogger);
  const escaped = args.map((arg) => arg.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  const text = escaped.map((arg) => (/\s/.test(arg) ? `"${arg.replace(/"/g, '')}"` : arg)).join(' ');
  const core = await openCore(loadConfig());
  try {
    const login = userInfo().username;
    const ctx = await core.contextFor(`terminal:${login}`, noDirectory, login);
    console.log(renderText(await runCommand(ctx, text)));
    return 0;
  } finally {
    await core.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof GuanxiError ? error.message : error);
    process.exit(1);
  },
);
