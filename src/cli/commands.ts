// Registry of commands. Only commands that work are listed here.
import type { Command } from 'commander';
import { initCommand } from './init.js';

export const commands: Array<() => Command> = [
  initCommand,
];
