/**
 * Prometheus metrics in the text exposition format (0.0.4), hand-written: Web standards only, so the
 * same code runs on Node, Deno and Workers (where each isolate keeps its own counters; see README).
 */

/** Latency buckets in seconds: a cached rate_get is well under 5 ms, an invoice run may take seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

/** Label values are written escaped (backslash, quote, newline), as the format requires. */
const esc = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`;

/** Where a request went: the XML API method, a tRPC procedure, or another route — bounded, never a raw path. */
export interface RequestLabel {
  /** `xml` (MOR XML API), `trpc` (admin API), `other` (health, ready, metrics, catalogue, 404s). */
  api: 'xml' | 'trpc' | 'other';
  /** The MOR method or tRPC procedure (known names only), else `-`. */
  method: string;
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Series>();
  readonly started = Date.now();

  /** Counts one finished request; `outcome` is `ok`, `refused` (a MOR error / 4xx) or `error` (5xx). */
  observe(label: RequestLabel, outcome: 'ok' | 'refused' | 'error', seconds: number): void {
    const key = `${label.api}\u0000${label.method}\u0000${outcome}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const lkey = `${label.api}\u0000${label.method}`;
    let series = this.latency.get(lkey);
    if (!series) {
      series = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.latency.set(lkey, series);
    }
    series.count++;
    series.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) series.buckets[i]!++;
  }

  /** The text exposition, with the gauges handed in by the app (caches, pool). */
  render(
    gauges: { name: string; help: string; type: 'gauge' | 'counter'; values: [Record<string, string>, number][] }[],
  ): string {
    const out: string[] = [];
    out.push('# HELP openmor_requests_total Requests answered, by API, method and outcome.');
    out.push('# TYPE openmor_requests_total counter');
    for (const [key, n] of [...this.requests].sort()) {
      const [api, method, outcome] = key.split('\u0000') as [string, string, string];
      out.push(`openmor_requests_total${labels({ api, method, outcome })} ${n}`);
    }
    out.push('# HELP openmor_request_duration_seconds Time until the answer headers, by API and method.');
    out.push('# TYPE openmor_request_duration_seconds histogram');
    for (const [key, s] of [...this.latency].sort()) {
      const [api, method] = key.split('\u0000') as [string, string];
      BUCKETS.forEach((le, i) => {
        out.push(`openmor_request_duration_seconds_bucket${labels({ api, method, le: String(le) })} ${s.buckets[i]}`);
      });
      out.push(`openmor_request_duration_seconds_bucket${labels({ api, method, le: '+Inf' })} ${s.count}`);
      out.push(`openmor_request_duration_seconds_sum${labels({ api, method })} ${s.sum}`);
      out.push(`openmor_request_duration_seconds_count${labels({ api, method })} ${s.count}`);
    }
    for (const g of gauges) {
      out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} ${g.type}`);
      for (const [l, value] of g.values) out.push(`${g.name}${Object.keys(l).length ? labels(l) : ''} ${value}`);
    }
    return `${out.join('\n')}\n`;
  }
}
