// Reads a written ksmg.yaml through the same loader the CLI uses.
import { realServices } from '../../src/wizard/services.js';
import type { Config } from '../../src/config/schema.js';

export async function loadConfigForTest(path: string): Promise<Config> {
  return (await realServices.load(path)).config;
}
