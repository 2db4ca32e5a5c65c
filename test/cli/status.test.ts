// `traycheck status` against a real HTTP server serving health reports the way the dashboard does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealth } from '../../src/health/index.js';
import { runStatusCommand } from '../../src/cli/commands/status.js';
import type { ComponentHealth } from '../../src/health/types.js';
import { freePort } from '../helpers/ports.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: (url: string) => { status: number; body: string }): Promise<string> {
  const srv = createServer((req, res) => {
    const { status, body } = handler(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

const capture = (): { write(s: string): void; text(): string } => {
  let t = '';
  return { write: (s) => void (t += s), text: () => t };
};

describe('runStatusCommand', () => {
  it('prints a table per component; exit 0 when ok, 1 when degraded', async () => {
    let camera: ComponentHealth = { state: 'ok', detail: 'online, 5.0 fps' };
    const health = createHealth({ version: '0.9.0', startedAt: Date.now() - 3_725_000 });
    health.register('camera.expo', () => camera);
    health.register('db', () => ({ state: 'ok', detail: 'schema 40, 1.2 MB' }));
    const url = await serve((path) => {
      if (path !== '/api/health') return { status: 404, body: '{}' };
      const r = health.report();
      return { status: r.status === 'ok' ? 200 : 503, body: JSON.stringify(r) };
    });

    let out = capture();
    expect(await runStatusCommand({ url: url + '/', json: false }, out, capture())).toBe(0);
    expect(out.text()).toMatch(/^traycheck 0\.9\.0: OK \(up 1h 2m, http:\/\/127\.0\.0\.1:\d+\)/);
    expect(out.text()).toMatch(/camera\.expo\s+ok\s+online, 5\.0 fps/);
    expect(out.text()).toMatch(/db\s+ok\s+schema 40/);

    camera = { state: 'down', detail: 'offline since 12:01: connection refused' };
    out = capture();
    expect(await runStatusCommand({ url, json: false }, out, capture())).toBe(1);
    expect(out.text()).toMatch(/DEGRADED/);
    expect(out.text()).toMatch(/camera\.expo\s+down\s+offline since 12:01/);

    out = capture();
    expect(await runStatusCommand({ url, json: true }, out, capture())).toBe(1);
    const parsed = JSON.parse(out.text()) as { status: string; components: Record<string, ComponentHealth> };
    expect(parsed.status).toBe('degraded');
    expect(parsed.components['camera.expo']?.state).toBe('down');
  });

  it('exits 2 when nothing listens', async () => {
    const port = await freePort();
    const err = capture();
    expect(
      await runStatusCommand(
        { url: `http://127.0.0.1:${port}`, json: false, timeoutMs: 3000 },
        capture(),
        err,
      ),
    ).toBe(2);
    expect(err.text()).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+/);
  });

  it('exits 2 when the server is not a traycheck (no health report)', async () => {
    const url = await serve(() => ({ status: 404, body: '<html>not here</html>' }));
    const err = capture();
    expect(await runStatusCommand({ url, json: false }, capture(), err)).toBe(2);
    expect(err.text()).toMatch(/HTTP 404 without a health report/);
  });

  it('sends the metrics token; without it a protected /api/health is explained, exit 2', async () => {
    const report = JSON.stringify(createHealth({ version: '1', startedAt: Date.now() }).report());
    let seen: string | undefined;
    const srv = createServer((req, res) => {
      seen = req.headers.authorization;
      const ok = req.headers.authorization === 'Bearer a-very-long-token-123';
      res
        .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
        .end(ok ? report : '{"error":"authentication required"}');
    });
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const err = capture();
    expect(await runStatusCommand({ url, json: false }, capture(), err)).toBe(2);
    expect(err.text()).toMatch(/needs the metrics token .*--token or set TRAYCHECK_DASHBOARD__METRICS_TOKEN/);
    expect(
      await runStatusCommand({ url, json: false, token: 'a-very-long-token-123' }, capture(), capture()),
    ).toBe(0);
    expect(seen).toBe('Bearer a-very-long-token-123');
  });

  it('never prints credentials from the URL', async () => {
    const url = await serve(() => ({
      status: 200,
      body: JSON.stringify(createHealth({ version: '1', startedAt: Date.now() }).report()),
    }));
    const out = capture();
    const withCreds = url.replace('http://', 'http://admin:secret@');
    // fetch refuses credentials in URLs; either way the password must not be echoed.
    const code = await runStatusCommand({ url: withCreds, json: false }, out, out);
    expect([0, 2]).toContain(code);
    expect(out.text()).not.toContain('secret');
  });
});
