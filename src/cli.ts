// Entry point of the built binary (bin/ksmg-setup.js imports dist/cli.js).
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
