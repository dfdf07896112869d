// smtp-server for the lab's simulated hosts, minus one thing: smtp-server waits a fixed 100 ms
// after every connection before it greets ("early talker" detection). The relay connects to a
// simulated host for every delivery, so that wait was most of a scenario's wall time and all of
// it idle. A simulated host greets as soon as the socket is set up; nothing else changes
// (reverse lookup, onConnect, replies are smtp-server's own).
import type net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';

class PromptConnection extends SMTPConnection {
  override init(): void {
    this._setListeners(() => {
      const max = this._server.options.maxClients;
      if (max && this._server.connections.size > max) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      this.connectionReady();
    });
  }
}

export class PromptSmtpServer extends SMTPServer {
  override connect(socket: net.Socket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new PromptConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }
}
