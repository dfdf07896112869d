// The human form of a check report: the transcript as a client would see it, each reply with the
// rule behind it, then per recipient where it would go and which content rule applies.
import { Chalk } from 'chalk';
import type { CheckReport } from './check.js';

export function formatCheckText(r: CheckReport, color = false): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [
    c.bold(`ksmg-setup check: one transaction, nothing delivered (${r.config}, ${r.integration})`),
    `client ${r.client.address}: ${r.client.role} (${r.client.class})`,
    '',
  ];
  const width = Math.min(44, Math.max(8, ...r.stages.map((s) => (s.command ?? 'connect').length)));
  for (const s of r.stages) {
    const paint = s.code >= 400 ? c.red : s.code >= 300 ? c.cyan : c.green;
    const [first, ...rest] = s.reply.split('\n');
    const cmd = s.command ?? '(connect)';
    lines.push(`  ${cmd.length > width ? `${cmd}\n  ${' '.repeat(width)}` : cmd.padEnd(width)}  ${paint(first)}`);
    for (const l of rest) lines.push(`  ${' '.repeat(width)}  ${paint(l)}`);
    lines.push(`  ${' '.repeat(width)}  ${c.dim(`↳ ${s.rule}`)}`);
  }
  if (r.recipients.length) {
    lines.push('', c.bold('recipients'));
    for (const rc of r.recipients) {
      const head = `  ${rc.address}  ${rc.accepted ? c.green('accepted') : c.red('refused')}`;
      if (rc.nextHop) lines.push(`${head} → ${rc.nextHop.transport} (${rc.nextHop.via}; in the lab: ${rc.nextHop.lab.join(', ')})`);
      else lines.push(`${head}: ${rc.reply}`);
      const scan = rc.scan ? `; scan: ${rc.scan.action}${rc.scan.reason ? ` (${rc.scan.reason})` : ''}` : '';
      lines.push(c.dim(`      content rule ${rc.contentRule.id} "${rc.contentRule.name}" (${rc.contentRule.mode})${scan}`));
    }
  }
  if (r.message) {
    lines.push(
      '',
      `message: ${r.message.source === 'file' ? r.message.file : 'generated'}, ${r.message.bytes} bytes, ${r.message.scanned ? 'scanned' : 'not scanned'}`,
    );
    if (r.message.logLine) lines.push(c.dim(`  ${r.message.logLine}`));
  }
  lines.push(
    '',
    `outcome: ${r.outcome === 'accepted' ? c.green.bold('accepted') : r.outcome === 'refused' ? c.red.bold('refused') : c.yellow.bold('partly accepted')} (${r.durationMs} ms)`,
  );
  for (const n of r.notes) lines.push(c.dim(`note: ${n}`));
  return `${lines.join('\n')}\n`;
}
