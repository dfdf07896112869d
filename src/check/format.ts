// The human form of a check report: the transcript as a client would see it, each reply with the
// rule behind it, then per recipient where it would go and which content rule applies. The SMTP
// replies are Postfix's and stay as they are; the words around them are in the admin's language.
import { Chalk } from 'chalk';
import { translator, type Lang } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';
import type { CheckReport } from './check.js';

export function formatCheckText(r: CheckReport, color = false, lang: Lang = 'en'): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const t = translator(lang);
  // The client's role, the stages' rules and the notes are written in English by the check (they
  // are in its JSON too) and read back into the catalogue here.
  const known = (text: string) => translateKnown(lang, text);
  const lines: string[] = [
    c.bold(t('check.heading', { config: r.config, integration: r.integration })),
    t('check.client', { address: r.client.address, role: known(r.client.role), class: r.client.class }),
    '',
  ];
  const width = Math.min(44, Math.max(8, ...r.stages.map((s) => (s.command ?? 'connect').length)));
  for (const s of r.stages) {
    const paint = s.code >= 400 ? c.red : s.code >= 300 ? c.cyan : c.green;
    const [first, ...rest] = s.reply.split('\n');
    const cmd = s.command ?? '(connect)';
    lines.push(`  ${cmd.length > width ? `${cmd}\n  ${' '.repeat(width)}` : cmd.padEnd(width)}  ${paint(first)}`);
    for (const l of rest) lines.push(`  ${' '.repeat(width)}  ${paint(l)}`);
    lines.push(`  ${' '.repeat(width)}  ${c.dim(`↳ ${known(s.rule)}`)}`);
  }
  if (r.recipients.length) {
    lines.push('', c.bold(t('check.recipients')));
    for (const rc of r.recipients) {
      const head = `  ${rc.address}  ${rc.accepted ? c.green(t('check.accepted')) : c.red(t('check.refused'))}`;
      if (rc.nextHop)
        lines.push(
          `${head} → ${t('check.nextHop', { transport: rc.nextHop.transport, via: rc.nextHop.via, lab: rc.nextHop.lab.join(', ') })}`,
        );
      else lines.push(`${head}: ${rc.reply}`);
      const scan = rc.scan
        ? rc.scan.reason
          ? t('check.scanReason', { action: rc.scan.action, reason: rc.scan.reason })
          : t('check.scan', { action: rc.scan.action })
        : '';
      lines.push(
        c.dim(`      ${t('check.contentRule', { id: rc.contentRule.id, name: rc.contentRule.name, mode: rc.contentRule.mode })}${scan}`),
      );
    }
  }
  if (r.message) {
    lines.push(
      '',
      t('check.message', {
        source: r.message.source === 'file' ? (r.message.file ?? '') : t('check.generated'),
        bytes: r.message.bytes,
        scanned: t(r.message.scanned ? 'check.scanned' : 'check.notScanned'),
      }),
    );
    if (r.message.logLine) lines.push(c.dim(`  ${r.message.logLine}`));
  }
  const outcome =
    r.outcome === 'accepted'
      ? c.green.bold(t('check.accepted'))
      : r.outcome === 'refused'
        ? c.red.bold(t('check.refused'))
        : c.yellow.bold(t('check.partly'));
  lines.push('', t('check.outcome', { outcome, ms: r.durationMs }));
  for (const n of r.notes) lines.push(c.dim(t('check.note', { note: known(n) })));
  return `${lines.join('\n')}\n`;
}
