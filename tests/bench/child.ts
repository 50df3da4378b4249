import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MemoryFigures, ParentMessage, ServerMessage, StallFigures } from './messages.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const serveScript = join(import.meta.dirname, 'serve.ts');

/** The project's Node 24 (the `node` npm package), never whatever `node` is on the PATH. */
export function nodeBinary(): string {
  const local = join(repoRoot, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

export interface Started {
  /** startServer (or the bare app's start) until /healthz answered, measured in the child. */
  startupMs: number;
  /** From the child process's start to that moment: Node's own start and module loading included. */
  sinceProcessStartMs: number;
  /** From spawn() in this process until the child said it was ready. */
  spawnToReadyMs: number;
  memory: MemoryFigures;
}

const stderrLines = 200;

/** A serve.ts process: started, asked for figures over IPC, stopped. */
export class ServerProcess {
  readonly url: string;
  readonly started: Started;
  readonly #child: ChildProcess;
  readonly #log: ChildLog;

  private constructor(child: ChildProcess, log: ChildLog, url: string, started: Started) {
    this.#child = child;
    this.#log = log;
    this.url = url;
    this.started = started;
  }

  /** Counts of the child's warn and error lines, and its last lines. */
  get log(): ChildLog {
    return this.#log;
  }

  /**
   * Spawns serve.ts with exactly `env` (plus PATH and BENCH_MODE) and waits
   * until it is ready, failed, exited, or `timeoutMs` passed.
   */
  static start(mode: 'guanxi' | 'bare', env: Record<string, string>, timeoutMs: number): Promise<ServerProcess> {
    const log = new ChildLog();
    const spawnedAt = performance.now();
    const child = spawn(nodeBinary(), [serveScript], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env, BENCH_MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => log.add(text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => log.add(text));
    return new Promise<ServerProcess>((resolve, reject) => {
      let started: { startupMs: number; sinceProcessStartMs: number } | null = null;
      const fail = (reason: string) => {
        cleanup();
        child.kill('SIGKILL');
        reject(new Error(`${reason}${log.tail(15)}`));
      };
      const timer = setTimeout(() => fail(`the ${mode} server was not ready within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
      const onMessage = (raw: unknown) => {
        const message = raw as ServerMessage;
        if (message.type === 'started') started = { startupMs: message.startupMs, sinceProcessStartMs: message.sinceProcessStartMs };
        else if (message.type === 'failed') fail(`the ${mode} server failed to ${message.phase}: ${message.message}`);
        else if (message.type === 'ready') {
          cleanup();
          const { type: _type, url, ...memory } = message;
          const spawnToReadyMs = performance.now() - spawnedAt;
          resolve(new ServerProcess(child, log, url, { ...(started ?? { startupMs: NaN, sinceProcessStartMs: NaN }), spawnToReadyMs, memory }));
        }
      };
      const onExit = (code: number | null, signal: string | null) => fail(`the ${mode} server exited (${signal ?? `code ${code}`}) before it was ready after ${((performance.now() - spawnedAt) / 1000).toFixed(1)} s`);
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.on('error', (error) => fail(`could not start ${nodeBinary()}: ${error.message}`));
    });
  }

  /** Sends `message` and waits for the first answer of type `answer`. */
  ask<T extends ServerMessage['type']>(message: ParentMessage, answer: T, timeoutMs = 30_000): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#child.off('message', onMessage);
        reject(new Error(`the server did not answer "${message.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (raw: unknown) => {
        const reply = raw as ServerMessage;
        if (reply.type === 'failed') {
          clearTimeout(timer);
          this.#child.off('message', onMessage);
          reject(new Error(`the server failed to ${reply.phase}: ${reply.message}`));
          return;
        }
        if (reply.type !== answer) return;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        resolve(reply as Extract<ServerMessage, { type: T }>);
      };
      this.#child.on('message', onMessage);
      this.#child.send(message);
    });
  }

  async memory(): Promise<MemoryFigures> {
    const { type: _type, ...figures } = await this.ask({ type: 'memory' }, 'memory');
    return figures;
  }

  /** Runs `load` under a CPU profile of the server's main thread, written to `path`. */
  async profiled<T>(path: string, load: () => Promise<T>): Promise<T> {
    await this.ask({ type: 'profile-start' }, 'profile-started');
    try {
      return await load();
    } finally {
      await this.ask({ type: 'profile-stop', path }, 'profile-written', 120_000);
    }
  }

  async resetStalls(): Promise<void> {
    await this.ask({ type: 'stall-reset' }, 'stall-reset');
  }

  async readStalls(): Promise<StallFigures> {
    const { type: _type, ...figures } = await this.ask({ type: 'stall-read' }, 'stall');
    return figures;
  }

  /** Asks the server to stop (flushing its store); kills it if it has not exited within `timeoutMs`, and says which happened. */
  async stop(timeoutMs = 60_000): Promise<'exited' | 'killed'> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return 'exited';
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      if (this.#child.connected) this.#child.send({ type: 'stop' } satisfies ParentMessage);
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        this.#child.kill('SIGKILL');
        await exited;
        return 'killed';
      }
      return 'exited';
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}

/** The child's stdout and stderr: the last lines, and how many warnings and errors. */
export class ChildLog {
  readonly #lines: string[] = [];
  #partial = '';
  warnings = 0;
  errors = 0;

  add(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.startsWith('warn')) this.warnings++;
      if (line.startsWith('error')) this.errors++;
      this.#lines.push(line);
      if (this.#lines.length > stderrLines) this.#lines.shift();
    }
  }

  tail(count: number): string {
    const lines = [...this.#lines, ...(this.#partial ? [this.#partial] : [])].slice(-count);
    return lines.length === 0 ? '' : `\n    server output (last ${lines.length} lines):\n${lines.map((l) => `      ${l.slice(0, 300)}`).join('\n')}`;
  }
}
