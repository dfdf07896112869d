// Running from the TypeScript sources (tests, `node --import tsx`): a worker thread does not
// inherit the parent's tsx loader, so register it here before loading the real worker. The built
// package (dist/) loads dist/scan/worker.js directly and never uses this file.
import { register } from 'tsx/esm/api';

register();
const mod = await import(new URL('./worker.ts', import.meta.url).href);
export default mod.default;
