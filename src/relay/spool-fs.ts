// The spool's file-system calls on plain descriptors (spool.ts): callback-style fs in libuv's
// pool where the call may wait for the disk or the journal, without FileHandle's extra work.
import fsSync, { promises as fs, constants as fsc } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export function unlinkIfThere(file: string): Promise<void> {
  return new Promise((resolve, reject) => fsSync.unlink(file, (e) => (e && e.code !== 'ENOENT' ? reject(e) : resolve())));
}

/** A message's temporary file, new (O_EXCL: a queue id in use fails the enqueue), 0600, in libuv's pool. */
export function createTmp(file: string): Promise<number> {
  return new Promise((resolve, reject) =>
    fsSync.open(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o600, (e, fd) => (e ? reject(e) : resolve(fd))),
  );
}

export function closeQuietly(fd: number): void {
  try {
    fsSync.closeSync(fd);
  } catch {
    /* already failing */
  }
}

/** fsync(2) of an open descriptor in libuv's pool: the one spool step that waits for the disk. */
export function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsSync.fsync(fd, (e) => (e ? reject(e) : resolve())));
}

/** writeFully()'s writer over a plain descriptor (messages above SYNC_WRITE_LIMIT). */
export function fdWriter(fd: number): Pick<FileHandle, 'writev'> {
  const writev = (buffers: NodeJS.ArrayBufferView[]) =>
    new Promise<{ bytesWritten: number; buffers: NodeJS.ArrayBufferView[] }>((resolve, reject) =>
      fsSync.writev(fd, buffers, (e, bytesWritten) => (e ? reject(e) : resolve({ bytesWritten, buffers }))),
    );
  return { writev } as unknown as Pick<FileHandle, 'writev'>;
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, fsc.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
