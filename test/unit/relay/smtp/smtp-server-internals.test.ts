// src/relay/smtp/connection.ts subclasses smtp-server's internal SMTPConnection and uses its
// underscore members (see the note at the top of that file). They are not a public API, so the
// version is pinned exactly in package.json; this test fails loudly, naming the member, when an
// upgrade moves or renames one of them, before any relay test fails in a confusing way.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const installed = (JSON.parse(readFileSync(require.resolve('smtp-server/package.json'), 'utf8')) as { version: string }).version;
const pinned = (
  JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }
).dependencies['smtp-server'];

/** Methods PostfixConnection overrides or calls. */
const METHODS = ['init', 'send', '_setListeners', '_resetSession', '_onTimeout', '_armTimeout', '_onClose', '_onCommand', '_whenWritable'];
/** Fields it reads or writes, with the type they have on a fresh connection. */
const FIELDS: Record<string, string> = {
  _socket: 'object',
  _parser: 'object',
  _ready: 'boolean',
  _closing: 'boolean',
  _closed: 'boolean',
  _dataStream: 'boolean',
  _transactionCounter: 'number',
};

const servers: SMTPServer[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});

describe('smtp-server internals the relay relies on', () => {
  it(`the installed version is the pinned one (${pinned})`, () => {
    expect(pinned, 'pin smtp-server exactly: the relay uses its internals').toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
  });

  it.each(METHODS)('SMTPConnection.prototype.%s is a method', (name) => {
    expect(typeof (SMTPConnection.prototype as unknown as Record<string, unknown>)[name], `SMTPConnection#${name}`).toBe('function');
  });

  it('a new SMTPConnection has the fields PostfixConnection uses, and its parser has startDataMode/continue', () => {
    const server = new SMTPServer({ logger: false });
    const conn = new SMTPConnection(server, new net.Socket(), {}) as unknown as Record<string, unknown>;
    for (const [name, type] of Object.entries(FIELDS)) expect(typeof conn[name], `SMTPConnection#${name}`).toBe(type);
    const parser = conn._parser as Record<string, unknown>;
    expect(typeof parser.startDataMode, 'SMTPStream#startDataMode').toBe('function');
    expect(typeof parser.continue, 'SMTPStream#continue').toBe('function');
    // BDAT chunks (PostfixConnection.receiveChunk) take over the data-mode feed for a moment.
    expect(typeof parser._dataMode, 'SMTPStream#_dataMode').toBe('boolean');
    expect(typeof parser._feedDataStream, 'SMTPStream#_feedDataStream').toBe('function');
    expect(typeof parser._write, 'SMTPStream#_write').toBe('function');
    expect('_continueCallback' in parser, 'SMTPStream#_continueCallback').toBe(true);
    expect(server.connections, 'SMTPServer#connections').toBeInstanceOf(Set);
  });

  it('SMTPServer reads a PROXY header in _handleProxy, asking _expectsProxyHeader first (server.ts replaces the first)', () => {
    for (const name of ['_handleProxy', '_expectsProxyHeader']) {
      expect(typeof (SMTPServer.prototype as unknown as Record<string, unknown>)[name], `SMTPServer#${name}`).toBe('function');
    }
  });

  it('SMTPServer hands every accepted socket to _handleProxy, then to connect(socket, options)', async () => {
    const order: string[] = [];
    class Probe extends SMTPServer {
      override _handleProxy(_socket: net.Socket, callback: (err: Error | null, options?: { id: string }) => void): void {
        order.push('_handleProxy');
        callback(null, { id: 'probe' });
      }
      override connect(socket: net.Socket, options?: { id?: string }): void {
        order.push(`connect ${options?.id}`);
        socket.end('220 probe\r\n');
      }
    }
    const server = new Probe({ logger: false, disableReverseLookup: true });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.server.address() as net.AddressInfo;
    await new Promise<void>((resolve, reject) =>
      net
        .connect({ host: '127.0.0.1', port })
        .on('close', () => resolve())
        .on('error', reject)
        .resume(),
    );
    expect(order).toEqual(['_handleProxy', 'connect probe']);
  });

  it('SMTPServer hands every accepted socket to connect(socket, options), which a subclass can replace', async () => {
    let handed: net.Socket | null = null;
    class Probe extends SMTPServer {
      override connect(socket: net.Socket): void {
        handed = socket;
        socket.end('220 probe\r\n');
      }
    }
    const server = new Probe({ logger: false, disableReverseLookup: true });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.server.address() as net.AddressInfo;
    const banner = await new Promise<string>((resolve, reject) => {
      const c = net.connect({ host: '127.0.0.1', port });
      let got = '';
      c.setEncoding('latin1')
        .on('data', (d: string) => (got += d))
        .on('close', () => resolve(got))
        .on('error', reject);
    });
    expect(banner).toBe('220 probe\r\n');
    expect(handed).not.toBeNull();
  });
});
