// The relay's SMTP listener: smtp-server with every connection a PostfixConnection (connection.ts),
// whose handlers answer as Postfix's smtpd does; smtp-server's own commands, logging and timeouts
// are switched off.
import type net from 'node:net';
import type tls from 'node:tls';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import type { RelayContext } from './context.js';
import { PostfixConnection, tlsConnections } from './connection.js';

/** smtp-server's connection ids (see PostfixSmtpServer._handleProxy). */
let connectionSerial = 0;

/** SMTPServer whose connections are PostfixConnections. */
export class PostfixSmtpServer extends SMTPServer {
  constructor(private readonly ctx: RelayContext) {
    super({
      // Our handlers do everything; these only keep smtp-server's own machinery quiet.
      name: ctx.config.mta.hostname,
      hideENHANCEDSTATUSCODES: true,
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      hideSTARTTLS: true,
      // The gateway's certificate for STARTTLS (handlers/misc.ts → PostfixConnection.startTls).
      ...(ctx.tls ? { key: ctx.tls.key, cert: ctx.tls.cert } : {}),
      socketTimeout: 2_147_483_647,
      // net.Server option: a client's FIN does not end our side (see PostfixConnection.init).
      allowHalfOpen: true,
      // Overlong lines are truncated to line_length_limit in _onCommand, as Postfix does.
      maxCommandLength: 1024 * 1024,
      closeTimeout: 2_147_483_647,
      logger: false,
    });
  }

  /**
   * Without a PROXY header to read (the relay never expects one) the connection starts in this
   * turn of the event loop, not the next, and its id (smtp-server's, for its own logging, which
   * is off) comes from a counter instead of 10 bytes of the CSPRNG: ≈ 20 µs and a loop turn per
   * connection, before the greeting.
   */
  override _handleProxy(
    socket: net.Socket,
    callback: (err: Error | null, socketOptions?: SMTPConnectionOptions & { id: string }) => void,
  ): void {
    if (this._expectsProxyHeader(socket)) return super._handleProxy(socket, callback);
    callback(null, { id: (++connectionSerial).toString(32).padStart(16, '0') });
  }

  override connect(socket: net.Socket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new PostfixConnection(this, socket, socketOptions, this.ctx);
    this.connections.add(connection);
    connection.on('error', () => undefined);
    connection.init();
  }

  override onSecure(socket: net.Socket | tls.TLSSocket, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const connection = tlsConnections.get(session);
    tlsConnections.delete(session);
    connection?.tlsEstablished(socket as tls.TLSSocket);
    callback();
  }
}
