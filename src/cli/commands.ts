// Registry of commands. Only commands that work are listed here.
import type { Command } from 'commander';
import { relayCommand } from './relay.js';

export const commands: Array<() => Command> = [relayCommand];
