// The Dockerfile's final stage, proven without a container engine: its build produces what CMD runs,
// CMD (with the image's ENV: HOST=0.0.0.0) serves /ready, and the HEALTHCHECK command passes against
// it; the image runs as a non-root user. compose.yaml waits for a healthy Postgres.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface FinalStage {
  env: Record<string, string>;
  user: string;
  cmd: string[];
  healthcheck: string[];
}

/** The last stage of the Dockerfile: ENV pairs, USER, exec-form CMD and HEALTHCHECK CMD. */
function finalStage(text: string): FinalStage {
  const stage = text.slice(text.lastIndexOf('\nFROM '));
  const lines = stage.split('\n');
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith('ENV '))) {
    for (const [, k, v] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[k as string] = v as string;
  }
  const json = (prefix: RegExp) => {
    const line = lines.find((l) => prefix.test(l));
    return line ? (JSON.parse(line.slice(line.indexOf('['))) as string[]) : [];
  };
  return {
    env,
    user:
      lines
        .find((l) => l.startsWith('USER '))
        ?.slice(5)
        .trim() ?? 'root',
    cmd: json(/^CMD \[/),
    healthcheck: json(/^HEALTHCHECK .*CMD \[/),
  };
}

describe('Dockerfile and compose.yaml', () => {
  it('runs its CMD with its ENV, serves /ready on 0.0.0.0, and its HEALTHCHECK passes', async () => {
    const stage = finalStage(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(stage.user).not.toMatch(/^(root|0)$/);
    expect(stage.env.HOST).toBe('0.0.0.0');
    expect(stage.cmd).toEqual(['node', 'dist/node.mjs']);
    expect(stage.healthcheck[0]).toBe('node');

    // /app as the image lays it out: the build's dist/, package.json, node_modules.
    const app = await mkdtemp(join(tmpdir(), 'openmor-image-'));
    const port = await freePort();
    try {
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } };
      const build = pkg.scripts.build.replace('--outdir=dist', `--outdir=${join(app, 'dist')}`).split(' ');
      expect(build[0]).toBe('esbuild');
      execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), build.slice(1), { cwd: ROOT });
      await copyFile(join(ROOT, 'package.json'), join(app, 'package.json'));
      await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');

      const env = { PATH: process.env.PATH ?? '', ...stage.env, PORT: String(port), DATA_DIR: join(app, 'data') };
      const child = spawn(stage.cmd[0] as string, stage.cmd.slice(1), { cwd: app, env, stdio: 'ignore' });
      try {
        let ready = false;
        for (let i = 0; i < 600 && !ready && child.exitCode === null; i++) {
          ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
            (r) => r.ok,
            () => false,
          );
          if (!ready) await new Promise((r) => setTimeout(r, 200));
        }
        expect(ready).toBe(true);
        const check = spawnSync(stage.healthcheck[0] as string, stage.healthcheck.slice(1), { cwd: app, env });
        expect(check.status).toBe(0);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      // With nothing listening the health check fails.
      const down = spawnSync(stage.healthcheck[0] as string, stage.healthcheck.slice(1), { cwd: app, env });
      expect(down.status).toBe(1);
    } finally {
      await rm(app, { recursive: true, force: true });
    }

    const compose = await readFile(join(ROOT, 'compose.yaml'), 'utf8');
    expect(compose).toContain('condition: service_healthy');
    expect(compose).toMatch(/pg_isready/);
  }, 180_000);
});
