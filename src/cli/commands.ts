// Registry of commands. Only commands that work are listed here.
import type { Command } from 'commander';
import { auditCommand } from './audit.js';
import { checkCommand } from './check.js';
import { exportCommand } from './export.js';
import { initCommand } from './init.js';
import { probeCommand } from './probe.js';
import { queueCommand } from './queue.js';
import { relayCommand } from './relay.js';
import { runbookCommand } from './runbook.js';
import { verifyCommand } from './verify.js';

export const commands: Array<() => Command> = [
  initCommand,
  auditCommand,
  runbookCommand,
  exportCommand,
  verifyCommand,
  relayCommand,
  queueCommand,
  probeCommand,
  checkCommand,
];
