// Registry of commands. Only commands that work are listed here.
import type { Command } from 'commander';

export const commands: Array<() => Command> = [];
