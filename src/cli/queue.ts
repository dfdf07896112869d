// `ksmg-setup queue list|show ID|flush|delete ID|delete-all --spool DIR`, in the spirit of
// postqueue -p / postcat -q / postqueue -f / postsuper -d. It works on the spool files directly,
// so it also works while the relay is stopped. `flush` leaves a request the running relay's
// queue manager picks up at once (or the next relay picks up at start).
import { Command } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isQueueId, Spool, type MessageMeta, type QueueState } from '../relay/spool.js';
import { requestFlush } from '../relay/queue/flush.js';
import { z } from 'zod';
import { commandAction, UsageError } from './action.js';
import { EXIT } from './exit.js';

const DEFAULT_SPOOL = 'ksmg-spool';

async function openSpool(dir: string): Promise<Spool> {
  const spool = new Spool(dir);
  try {
    await fs.access(path.join(spool.dir, 'queue'));
  } catch {
    throw new UsageError(`no spool at ${spool.dir} (expected ${path.join(spool.dir, 'queue')}; pass --spool DIR, the relay's --spool)`);
  }
  return spool;
}

interface Listed {
  id: string;
  size: number;
  arrival: string;
  sender: string;
  recipients: QueueState['recipients'];
}

async function listQueue(spool: Spool): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const id of await spool.ids()) {
    let meta: MessageMeta;
    let state: QueueState;
    try {
      ({ meta, state } = await spool.load(id));
    } catch {
      continue; // removed while we looked
    }
    out.push({ id, size: meta.size, arrival: new Date(meta.arrivalTime).toISOString(), sender: meta.sender, recipients: state.recipients });
  }
  return out;
}

function postqueueDate(iso: string): string {
  // postqueue -p style: "Mon Nov 23 09:38:58"
  const d = new Date(iso);
  return d.toUTCString().replace(/^(\w{3}), (\d\d) (\w{3}) \d{4} (\S+) GMT$/, '$1 $3 $2 $4');
}

function recipientLine(r: QueueState['recipients'][number]): string {
  const bits: string[] = [r.status];
  if (r.attempts) bits.push(`${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`);
  if (r.status === 'deferred' && r.nextAttemptAt) bits.push(`next ${new Date(r.nextAttemptAt).toISOString()}`);
  if (r.rule) bits.push(`rule "${r.rule}"`);
  const last = r.lastReply ? `: ${r.lastReply}` : '';
  return `${r.address} (${bits.join(', ')}${last})`;
}

function renderList(items: Listed[]): string {
  if (!items.length) return 'Mail queue is empty\n';
  const lines = ['-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------'];
  let bytes = 0;
  for (const m of items) {
    bytes += m.size;
    lines.push(`${m.id.padEnd(11)} ${String(m.size).padStart(8)} ${postqueueDate(m.arrival)}  ${m.sender || 'MAILER-DAEMON'}`);
    for (const r of m.recipients) lines.push(`${' '.repeat(42)}${recipientLine(r)}`);
    lines.push('');
  }
  lines.push(`-- ${Math.ceil(bytes / 1024)} Kbytes in ${items.length} Request${items.length === 1 ? '' : 's'}.`);
  return lines.join('\n') + '\n';
}

function checkId(id: string): string {
  const up = id.toUpperCase();
  if (!isQueueId(up)) throw new UsageError(`"${id}" is not a queue ID (11 hex digits, as in "250 2.0.0 Ok: queued as 04000DACE83")`);
  return up;
}

const spoolOnly = z.strictObject({ spool: z.string() });
const listOptions = z.strictObject({ spool: z.string(), json: z.boolean().optional() });
const showOptions = z.strictObject({ spool: z.string(), full: z.boolean().optional(), json: z.boolean().optional() });

export function queueCommand(): Command {
  const cmd = new Command('queue');
  const spoolOpt = ['--spool <dir>', "spool directory (the relay's --spool)", DEFAULT_SPOOL] as const;

  cmd
    .command('list')
    .description('list queued messages: id, size, arrival, sender, recipients with state and last reply')
    .option(...spoolOpt)
    .option('--json', 'machine-readable output on stdout')
    .action(
      commandAction(listOptions, async (o) => {
        const items = await listQueue(await openSpool(o.spool));
        process.stdout.write(o.json ? JSON.stringify(items, null, 2) + '\n' : renderList(items));
        return EXIT.ok;
      }),
    );

  cmd
    .command('show')
    .argument('<id>', 'queue ID')
    .description('envelope, per-recipient state and the message headers (--full: the whole message)')
    .option(...spoolOpt)
    .option('--full', 'print the whole message, not only its headers')
    .option('--json', 'machine-readable output')
    .action(
      commandAction(showOptions, async (o, [rawId = '']) => {
        const spool = await openSpool(o.spool);
        const id = checkId(rawId);
        let file;
        try {
          file = await spool.readFile(id);
        } catch {
          throw new UsageError(`${id}: no such message in ${spool.dir}`);
        }
        const state = await spool.readState(id, file.meta);
        const end = file.data.indexOf('\r\n\r\n');
        const text = (o.full || end < 0 ? file.data : file.data.subarray(0, end + 2)).toString('utf8');
        if (o.json) {
          process.stdout.write(JSON.stringify({ meta: file.meta, state, message: text }, null, 2) + '\n');
          return EXIT.ok;
        }
        const m = file.meta;
        const lines = [
          `*** ENVELOPE RECORDS ${id} ***`,
          `message_size: ${m.size}`,
          `message_arrival_time: ${new Date(m.arrivalTime).toUTCString()}`,
          `client: ${m.client.name}[${m.client.address}] helo=${m.client.helo}`,
          `sender: ${m.sender}`,
          ...state.recipients.map((r) => `recipient: ${recipientLine(r)}`),
          `*** MESSAGE ${o.full ? 'CONTENTS' : 'HEADERS'} ${id} ***`,
          text.replace(/\r\n/g, '\n').trimEnd(),
          `*** END OF MESSAGE ${id} ***`,
        ];
        process.stdout.write(lines.join('\n') + '\n');
        return EXIT.ok;
      }),
    );

  cmd
    .command('flush')
    .description('retry every deferred recipient now (the running relay picks this up at once)')
    .option(...spoolOpt)
    .action(
      commandAction(spoolOnly, async (o) => {
        const spool = await openSpool(o.spool);
        await requestFlush(spool.dir);
        process.stderr.write(`flush requested for ${spool.dir}\n`);
        return EXIT.ok;
      }),
    );

  cmd
    .command('delete')
    .argument('<id>', 'queue ID')
    .description('delete one message (postsuper -d ID)')
    .option(...spoolOpt)
    .action(
      commandAction(spoolOnly, async (o, [rawId = '']) => {
        const spool = await openSpool(o.spool);
        const id = checkId(rawId);
        if (!(await spool.ids()).includes(id)) throw new UsageError(`${id}: no such message in ${spool.dir}`);
        await spool.remove(id);
        process.stderr.write(`postsuper: ${id}: removed\npostsuper: Deleted: 1 message\n`);
        return EXIT.ok;
      }),
    );

  cmd
    .command('delete-all')
    .description('delete every queued message (postsuper -d ALL)')
    .option(...spoolOpt)
    .action(
      commandAction(spoolOnly, async (o) => {
        const spool = await openSpool(o.spool);
        const ids = await spool.ids();
        for (const id of ids) await spool.remove(id);
        process.stderr.write(`postsuper: Deleted: ${ids.length} message${ids.length === 1 ? '' : 's'}\n`);
        return EXIT.ok;
      }),
    );
  return cmd;
}
