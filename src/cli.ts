// Entry point of the built binary (bin/ksmg-setup.js imports dist/cli.js).
import { runCli } from './cli/program.js';
import { EXIT } from './cli/exit.js';

// `ksmg-setup --help | head` closes our stdout early: the reader has what it wanted, so stop
// quietly (as cat and grep do) instead of crashing with an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw e;
  });
}

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (e) {
  // A bug, not bad input (bad input is exit 2 with a message): say so, and not with exit 1,
  // which scripts read as "the configuration has errors".
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`ksmg-setup: internal error: ${err.message}\n${err.stack ?? ''}\nPlease report this with the command you ran.\n`);
  process.exitCode = EXIT.internal;
}
