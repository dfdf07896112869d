import { describe, expect, it } from 'vitest';
import { parseWire } from '../../../src/lab/wire-transcript.js';

const wire = (...lines: string[]) => lines.join('');

describe('parseWire', () => {
  it('tells DATA bytes (still dot-stuffed) from commands by the 354, with pipelined commands', () => {
    const client = wire(
      'EHLO relay.example\r\n',
      'MAIL FROM:<a@x.example> SIZE=10\r\nRCPT TO:<b@corp.example> NOTIFY=NEVER\r\nDATA\r\n',
      'Subject: s\r\n\r\n..leading dot\r\nRSET\r\n.\r\n',
      'QUIT\r\n',
    );
    //                      greeting EHLO MAIL RCPT DATA end-of-data QUIT
    const t = parseWire(client, [220, 250, 250, 250, 354, 250, 221], true);
    expect(t).toEqual([
      {
        commands: ['MAIL FROM:<a@x.example> SIZE=10', 'RCPT TO:<b@corp.example> NOTIFY=NEVER', 'DATA'],
        data: 'Subject: s\r\n\r\n..leading dot\r\nRSET\r\n',
        dataReply: 354,
        end: 'data',
      },
    ]);
  });

  it('a refused DATA carries no bytes; RSET, QUIT, a new MAIL and the close end a transaction', () => {
    const client = wire(
      'MAIL FROM:<>\r\nRCPT TO:<x@corp.example>\r\nDATA\r\nRSET\r\n',
      'MAIL FROM:<a@x>\r\nMAIL FROM:<b@x>\r\nRCPT TO:<c@x>\r\n',
    );
    const t = parseWire(client, [220, 250, 550, 503, 250, 250, 503, 250], true);
    expect(t.map((x) => [x.commands, x.data, x.end])).toEqual([
      [['MAIL FROM:<>', 'RCPT TO:<x@corp.example>', 'DATA'], null, 'RSET'],
      [['MAIL FROM:<a@x>'], null, 'MAIL'],
      [['MAIL FROM:<b@x>', 'RCPT TO:<c@x>'], null, '<closed>'],
    ]);
  });

  it('an empty message, and nothing reported for a DATA not yet answered or a message not yet ended', () => {
    expect(parseWire('MAIL FROM:<>\r\nRCPT TO:<x@y>\r\nDATA\r\n.\r\n', [220, 250, 250, 354, 250], false)[0]!.data).toBe('');
    expect(parseWire('MAIL FROM:<>\r\nRCPT TO:<x@y>\r\nDATA\r\n', [220, 250, 250], false)).toEqual([]);
    expect(parseWire('MAIL FROM:<>\r\nRCPT TO:<x@y>\r\nDATA\r\nhalf', [220, 250, 250, 354], false)).toEqual([]);
  });
});
