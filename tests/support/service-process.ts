import { spawn } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

/**
 * The service as `npm start` runs it: a process of its own, on this Node.js
 * (the project's own 24), with only the variables given. `ready` resolves
 * with its address; a refused start is awaited through `exited`.
 */
export function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['adapters/main.ts'], { cwd: root, env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const url = /running at (http:\/\/\S+) /.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}
