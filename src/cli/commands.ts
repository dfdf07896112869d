// Registry of commands. Only commands that work are listed here.
import type { Command } from 'commander';
import { queueCommand } from './queue.js';

export const commands: Array<() => Command> = [queueCommand];
