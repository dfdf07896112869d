// Registry of commands. Only commands that work are listed here.
import type { Command } from 'commander';
import { verifyCommand } from './verify.js';

export const commands: Array<() => Command> = [verifyCommand];
