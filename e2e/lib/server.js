// A second server for tests that need other settings than the suite's server (e.g. the
// one-time code turned on): the same binary, a fresh data folder and port, its log kept.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BINARY = process.env.E2E_SERVER_BIN || join(ROOT, 'target', 'debug', 'mt-facturation');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

/** Starts the server with `env` added; resolves once `/api/v1/health` answers. */
export async function startServer(env = {}) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'mtf-e2e-extra-'));
  chmodSync(data, 0o755); // the embedded PostgreSQL runs as an unprivileged user
  const token = `e2e-admin-${randomBytes(12).toString('hex')}`;
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(BINARY, [], {
    env: {
      ...process.env,
      MTF_DATA_DIR: data, MTF_BIND: `127.0.0.1:${port}`, MTF_BOOTSTRAP_ADMIN_TOKEN: token,
      MTF_DUNNING_SCHEDULE: 'off', MTF_VERIFY_CIN_PER_MINUTE: '1000', MTF_LANDING_PER_MINUTE: '10000',
      NO_COLOR: '1', RUST_LOG: 'info', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (b) => { log += b; });
  child.stderr.on('data', (b) => { log += b; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i += 1) await sleep(100);
    }
    rmSync(data, { recursive: true, force: true });
  };
  for (let i = 0; i < 600; i += 1) {
    if (exited) break;
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) {
        return { base, token, log: () => log, stop };
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`the extra server did not start; its log:\n${log.slice(-3000)}`);
}

/**
 * The code the development sender logged for `challengeId` (the line that carries both the
 * sender's message and that id, whatever the field formatting), or undefined.
 */
export function loggedCode(log, challengeId) {
  const plain = log.replace(/\x1b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((l) => l.includes('landing one-time code (development sender)')
    && l.includes(challengeId));
  return line ? (/\bcode[=:]\s*"?(\d{6})\b/.exec(line) || [])[1] : undefined;
}
