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
import { commandAction, langOf, UsageError } from './action.js';
import { formatDateTime, t, type Lang } from '../i18n/index.js';
import { EXIT } from './exit.js';

const DEFAULT_SPOOL = 'ksmg-spool';

async function openSpool(dir: string, lang: Lang): Promise<Spool> {
  const spool = new Spool(dir);
  try {
    await fs.access(path.join(spool.dir, 'queue'));
  } catch {
    throw new UsageError(t(lang, 'cli.queue.noSpool', { dir: spool.dir, queue: path.join(spool.dir, 'queue') }));
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

/**
 * One recipient with its state. The state word is the spool's (deferred, bounced, …); the rest is
 * in the admin's language, the next attempt in ISO form in English (as before) and as the
 * locale writes dates otherwise.
 */
function recipientLine(r: QueueState['recipients'][number], lang: Lang): string {
  const bits: string[] = [r.status];
  if (r.attempts) bits.push(t(lang, 'cli.queue.attempts', { count: r.attempts }));
  if (r.status === 'deferred' && r.nextAttemptAt) {
    const when = lang === 'en' ? new Date(r.nextAttemptAt).toISOString() : formatDateTime(lang, new Date(r.nextAttemptAt));
    bits.push(t(lang, 'cli.queue.next', { when }));
  }
  if (r.rule) bits.push(t(lang, 'cli.queue.rule', { rule: r.rule }));
  const last = r.lastReply ? `: ${r.lastReply}` : '';
  return `${r.address} (${bits.join(', ')}${last})`;
}

/** postqueue -p's layout and words (scripts read them), with our recipient lines. */
function renderList(items: Listed[], lang: Lang): string {
  if (!items.length) return 'Mail queue is empty\n';
  const lines = ['-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------'];
  let bytes = 0;
  for (const m of items) {
    bytes += m.size;
    lines.push(`${m.id.padEnd(11)} ${String(m.size).padStart(8)} ${postqueueDate(m.arrival)}  ${m.sender || 'MAILER-DAEMON'}`);
    for (const r of m.recipients) lines.push(`${' '.repeat(42)}${recipientLine(r, lang)}`);
    lines.push('');
  }
  lines.push(`-- ${Math.ceil(bytes / 1024)} Kbytes in ${items.length} Request${items.length === 1 ? '' : 's'}.`);
  return lines.join('\n') + '\n';
}

function checkId(id: string, lang: Lang): string {
  const up = id.toUpperCase();
  if (!isQueueId(up)) throw new UsageError(t(lang, 'cli.queue.notAnId', { id }));
  return up;
}

const spoolOnly = z.strictObject({ spool: z.string() });
const listOptions = z.strictObject({ spool: z.string(), json: z.boolean().optional() });
const showOptions = z.strictObject({ spool: z.string(), full: z.boolean().optional(), json: z.boolean().optional() });

export function queueCommand(lang: Lang = 'en'): Command {
  const cmd = new Command('queue');
  const spoolOpt = ['--spool <dir>', t(lang, 'cli.queue.option.spool'), DEFAULT_SPOOL] as const;

  cmd
    .command('list')
    .description(t(lang, 'cli.queue.list.description'))
    .option(...spoolOpt)
    .option('--json', t(lang, 'cli.queue.option.json'))
    .action(
      commandAction(listOptions, async (o, _args, c) => {
        const items = await listQueue(await openSpool(o.spool, langOf(c)));
        process.stdout.write(o.json ? JSON.stringify(items, null, 2) + '\n' : renderList(items, langOf(c)));
        return EXIT.ok;
      }),
    );

  cmd
    .command('show')
    .argument('<id>', t(lang, 'cli.queue.argument.id'))
    .description(t(lang, 'cli.queue.show.description'))
    .option(...spoolOpt)
    .option('--full', t(lang, 'cli.queue.option.full'))
    .option('--json', t(lang, 'cli.queue.option.jsonShort'))
    .action(
      commandAction(showOptions, async (o, [rawId = ''], c) => {
        const l = langOf(c);
        const spool = await openSpool(o.spool, l);
        const id = checkId(rawId, l);
        let file;
        try {
          file = await spool.readFile(id);
        } catch {
          throw new UsageError(t(l, 'cli.queue.noSuchMessage', { id, dir: spool.dir }));
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
          ...state.recipients.map((r) => `recipient: ${recipientLine(r, l)}`),
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
    .description(t(lang, 'cli.queue.flush.description'))
    .option(...spoolOpt)
    .action(
      commandAction(spoolOnly, async (o, _args, c) => {
        const spool = await openSpool(o.spool, langOf(c));
        await requestFlush(spool.dir);
        process.stderr.write(`${t(langOf(c), 'cli.queue.flushRequested', { dir: spool.dir })}\n`);
        return EXIT.ok;
      }),
    );

  cmd
    .command('delete')
    .argument('<id>', t(lang, 'cli.queue.argument.id'))
    .description(t(lang, 'cli.queue.delete.description'))
    .option(...spoolOpt)
    .action(
      commandAction(spoolOnly, async (o, [rawId = ''], c) => {
        const l = langOf(c);
        const spool = await openSpool(o.spool, l);
        const id = checkId(rawId, l);
        if (!(await spool.ids()).includes(id)) throw new UsageError(t(l, 'cli.queue.noSuchMessage', { id, dir: spool.dir }));
        await spool.remove(id);
        process.stderr.write(`postsuper: ${id}: removed\npostsuper: Deleted: 1 message\n`);
        return EXIT.ok;
      }),
    );

  cmd
    .command('delete-all')
    .description(t(lang, 'cli.queue.deleteAll.description'))
    .option(...spoolOpt)
    .action(
      commandAction(spoolOnly, async (o, _args, c) => {
        const spool = await openSpool(o.spool, langOf(c));
        const ids = await spool.ids();
        for (const id of ids) await spool.remove(id);
        process.stderr.write(`postsuper: Deleted: ${ids.length} message${ids.length === 1 ? '' : 's'}\n`);
        return EXIT.ok;
      }),
    );
  return cmd;
}
