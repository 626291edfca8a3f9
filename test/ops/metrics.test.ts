// GET /metrics: Prometheus text format behind an admin bearer token; requests counted by API, method
// and outcome with latency histograms; cache and pool gauges.
import { describe, expect, it } from 'vitest';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller } from '../helpers/factories.ts';

const api = useTestApp();
const metrics = (token?: string) =>
  api.app.app.request('http://openmor.test/metrics', {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

/** `name{labels} value` → value, for one exact series. */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('needs an admin token', async () => {
    expect((await metrics()).status).toBe(401);
    expect((await metrics('not-a-token')).status).toBe(401);
    const reseller = await createReseller(api.handle, 'metrics-reseller-key');
    const { token } = await clientWith(api, TEST.adminToken).tokens.issue.mutate({ userId: reseller.id, name: 'm' });
    expect((await metrics(token)).status).toBe(401);
  });

  it('counts requests by API, method and outcome, with latency histograms and cache gauges', async () => {
    const ok = await api.call('system_version_get', { u: TEST.adminUsername });
    expect(ok.body).not.toContain('<error>');
    await api.call('user_balance_get', { u: TEST.adminUsername, username: 'nobody' }, { hash: 'wrong' });
    await clientWith(api, TEST.adminToken).settings.get.query();

    const response = await metrics(TEST.adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    // Well-formed: every line is a comment or `name{labels} number`.
    for (const line of text.trim().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+)$/);
    }
    expect(value(text, 'openmor_requests_total{api="xml",method="system_version_get",outcome="ok"}')).toBe(1);
    expect(value(text, 'openmor_requests_total{api="xml",method="user_balance_get",outcome="refused"}')).toBe(1);
    expect(value(text, 'openmor_requests_total{api="trpc",method="settings.get",outcome="ok"}')).toBe(1);
    expect(value(text, 'openmor_request_duration_seconds_count{api="xml",method="system_version_get"}')).toBe(1);
    expect(
      value(text, 'openmor_request_duration_seconds_bucket{api="xml",method="system_version_get",le="+Inf"}'),
    ).toBe(1);
    expect(value(text, 'openmor_auth_cache_lookups_total{result="miss"}')).toBeGreaterThan(0);
    expect(value(text, `openmor_db_pool_max{driver="${api.handle.driver}"}`)).toBeGreaterThan(0);
    expect(text).toContain('# TYPE openmor_rate_index_lookups_total counter');
    // The 401s above were counted too, never with a raw path as a label.
    expect(value(text, 'openmor_requests_total{api="other",method="-",outcome="refused"}')).toBe(3);
  });
});
