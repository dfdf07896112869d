// smtp-server for the lab's simulated hosts (and the tests' recording sinks), minus one thing and
// plus three. Minus: smtp-server waits a fixed 100 ms after every connection before it greets
// ("early talker" detection). The relay connects to a simulated host for every delivery, so that
// wait was most of a scenario's wall time and all of it idle; a simulated host greets as soon as
// the socket is set up. Plus: an optional observer sees each connection's client bytes and reply
// codes in order (the sinks' exact wire transcript), and a reply text that already starts with an
// enhanced status code ("5.1.1 …", a scripted reply) is sent as is instead of getting a second one,
// and a quoted local part with a space is accepted as RFC 5321 allows.
// Nothing else changes (reverse lookup, onConnect, replies are smtp-server's own).
import type net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';

/** Sees one connection: what the client sent (plaintext before any STARTTLS) and every reply code. */
export interface WireObserver {
  clientBytes(chunk: Buffer): void;
  reply(code: number): void;
  closed(): void;
}

const ENHANCED_PREFIX = /^[245]\.\d{1,3}\.\d{1,3}(?: |$)/;
/** Stands in for a space between quotes while smtp-server parses an address (a private-use character). */
const QUOTED_SPACE = '\uE000';

class PromptConnection extends SMTPConnection {
  observer: WireObserver | null = null;

  override init(): void {
    this._setListeners(() => {
      const max = this._server.options.maxClients;
      if (max && this._server.connections.size > max) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      this.connectionReady();
    });
  }

  /**
   * smtp-server splits MAIL/RCPT at whitespace before it looks for the address, so a quoted local
   * part with a space ("john doe"@corp.example, valid RFC 5321) would be refused; the spaces
   * between the quotes are hidden from it and put back in the parsed address.
   */
  override _parseAddressCommand(name: string, command: Buffer | string): ReturnType<SMTPConnection['_parseAddressCommand']> {
    const text = command.toString().replace(/<"[^"]*"/, (q) => q.replaceAll(' ', QUOTED_SPACE));
    const parsed = super._parseAddressCommand(name, text);
    if (parsed) parsed.address = parsed.address.replaceAll(QUOTED_SPACE, ' ');
    return parsed;
  }

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    this.observer?.reply(code);
    super.send(code, data, typeof data === 'string' && ENHANCED_PREFIX.test(data) ? false : context);
  }
}

export class PromptSmtpServer extends SMTPServer {
  /** Called for every connection; the observer it returns watches that connection's wire. */
  observe: ((socket: net.Socket) => WireObserver | null) | null = null;

  override connect(socket: net.Socket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new PromptConnection(this, socket, socketOptions);
    const observer = this.observe?.(socket) ?? null;
    connection.observer = observer;
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
    // After init: the parser is piped by now, so this listener takes nothing away from it.
    if (observer) {
      socket.on('data', (chunk: Buffer) => observer.clientBytes(chunk));
      socket.on('close', () => observer.closed());
    }
  }
}
