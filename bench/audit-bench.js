// Audit scaling: `runAudit` on configs with many domains (default 10,000), the shapes that made
// the checks quadratic or worse: subdomains of listed domains, a route per domain to its own
// internal server (half of them untrusted), duplicates. Prints ms per audit (median of a few
// runs) and the number of findings. Env: AUDIT_BENCH_DOMAINS (comma-separated sizes),
// AUDIT_BENCH_RUNS (5), KSMG_BASE=src (TypeScript sources through tsx instead of dist/).
import { performance } from 'node:perf_hooks';

const base = process.env.KSMG_BASE ?? 'dist';
const ext = base === 'src' ? 'ts' : 'js';
const { configSchema } = await import(`../${base}/config/schema.${ext}`);
const { runAudit } = await import(`../${base}/audit/index.${ext}`);

const sizes = (process.env.AUDIT_BENCH_DOMAINS ?? '2000,10000').split(',').map(Number);
const runs = Number(process.env.AUDIT_BENCH_RUNS ?? 5);

function configWith(n) {
  const domains = [];
  for (let i = 0; i < n; i++) {
    // Every fourth domain is a subdomain of the one before it; routes spread over 10.0.0.0/16 and
    // 10.1.0.0/16, of which only the first is trusted.
    const name = i % 4 === 3 ? `sub.d${i - 1}.corp.example` : `d${i}.corp.example`;
    const host = `10.${i % 2}.${(i >> 8) & 255}.${i & 255 || 1}`;
    domains.push({ name, local: true, route: { host, port: 25 } });
  }
  return configSchema.parse({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/16'],
      destination: { mode: 'edge-gateway', host: '192.0.2.10' },
      domains,
      advanced: { validRecipients: domains.slice(0, 1000).map((d) => `postmaster@${d.name}`) },
    },
    protection: { spf: false, dmarc: false },
  });
}

const rows = [];
for (const n of sizes) {
  const config = configWith(n);
  const times = [];
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    findings = runAudit(config).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  rows.push({
    domains: n,
    medianMs: Number(times[Math.floor(times.length / 2)].toFixed(1)),
    maxMs: Number(times.at(-1).toFixed(1)),
    findings,
  });
}
for (const r of rows) {
  console.log(`audit of ${r.domains} domains: median ${r.medianMs} ms, max ${r.maxMs} ms over ${runs} runs (${r.findings} findings)`);
}
if (process.env.AUDIT_BENCH_JSON) console.log(JSON.stringify(rows));
