// SMTP sink (child process, IPC) for the bench and the crash test: accepts everything, counts
// messages and their X-Seq values. The parent asks {cmd:'stats'} → {type:'stats', count, seqs?, first, last}.
import { SMTPServer } from 'smtp-server';

const opts = JSON.parse(process.argv[2] ?? '{}');
let count = 0;
let first = 0;
let last = 0;
const seqs = [];
const server = new SMTPServer({
  logger: false,
  disabledCommands: ['AUTH', 'STARTTLS'],
  hideSTARTTLS: true,
  size: 50_000_000,
  disableReverseLookup: true,
  maxClients: 1000,
  onData(stream, _session, cb) {
    let head = '';
    stream.on('data', (c) => {
      if (head.length < 2048) head += c.toString('latin1');
    });
    stream.on('end', () => {
      count++;
      last = Date.now();
      if (!first) first = last;
      if (opts.trackSeq) {
        const m = head.match(/\r\nX-Seq: (\d+)\r\n/);
        if (m) seqs.push(Number(m[1]));
      }
      cb(null, `Ok: queued as S${count}`);
    });
  },
});
server.on('error', () => undefined);
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.server.address().port }));
process.on('message', (m) => {
  if (m?.cmd === 'stats') process.send({ type: 'stats', count, first, last, seqs: opts.trackSeq ? seqs : undefined });
  if (m?.cmd === 'stop') server.close(() => process.exit(0));
});
