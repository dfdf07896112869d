#!/usr/bin/env node
// Shim over the built CLI in dist/ (built by `npm run build`; `npm pack` builds it through prepack).
try {
  await import('../dist/cli.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('ksmg-setup is not built yet: run `npm run build` in its folder first.\n');
    process.exit(2);
  }
  throw e;
}
