// `ksmg-setup queue flush` talks to a running relay through the spool: it drops a request file
// that the queue manager watches (and also honours when it starts), like postqueue -f asking qmgr.
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';

const FLUSH_FILE = 'flush.request';

export async function requestFlush(spoolDir: string): Promise<void> {
  await fs.writeFile(path.join(spoolDir, FLUSH_FILE), `${process.pid} ${new Date().toISOString()}\n`, { mode: 0o600 });
}

/** Calls onFlush for each request (and once at start if one is waiting). Returns a closer. */
export function watchFlush(spoolDir: string, onFlush: () => void): () => void {
  const file = path.join(spoolDir, FLUSH_FILE);
  const take = () => {
    fs.unlink(file).then(onFlush, () => undefined); // ENOENT: nothing asked (or already taken)
  };
  take();
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(spoolDir, (_event, name) => {
      if (name === FLUSH_FILE) take();
    });
    watcher.on('error', () => undefined);
    watcher.unref();
  } catch {
    /* no inotify: the request is honoured at the next start */
  }
  return () => watcher?.close();
}
