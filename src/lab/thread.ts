// Worker threads of the lab (a lab per thread in parallel.ts, the certificate maker in
// certificates.ts): the entry module next to this one, built (.js) or, from the TypeScript
// sources the tests run, through tsx's loader.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Starts `./<name>.js` (built) or `./<name>.ts` (sources, through tsx) in a worker thread. */
export function startLabThread(name: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
    const entry = new URL(`./${name}.ts`, here).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(code, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.js`, here), { workerData });
}
