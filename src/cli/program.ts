import { Command, CommanderError } from 'commander';
import { registerAuditClientCommand } from './audit-client.js';
import { registerCertsCommand } from './certs.js';
import { registerDoctorCommand } from './doctor.js';
import { registerDriftCommand } from './drift.js';
import { registerRecordCommand } from './record.js';
import { registerServeCommand } from './serve.js';
import { UsageError, type CliIo } from './io.js';

/**
 * Runs the `lean-mock` command line with `argv` (without node and the script) and resolves with
 * the exit code: 0 ok, 2 usage error, 1 anything else. Errors are one line on stderr, never a
 * stack trace. The CLI is a thin shell: each command parses its flags and calls the public API.
 *
 * Start-up: each `register…Command` module declares flags only and imports what its action runs
 * inside the action (`const { x } = await import('../…')`), so a command loads its own code and no
 * other command's (`serve` skips the PKI issuer and the doctor; `--help` loads no server).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('lean-mock')
    .description('An offline mock of the Lean Technologies API over mutual TLS')
    .version(io.version, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(oneLine(text)),
    })
    .showSuggestionAfterError()
    .addHelpText('after', '\nExamples:\n  lean-mock certs && lean-mock serve   one folder, ./lean-mock-certs, for both\n  lean-mock serve --help               every command has its own examples')
    .allowExcessArguments(false);
  registerCertsCommand(program, io);
  registerServeCommand(program, io);
  registerDoctorCommand(program, io);
  registerRecordCommand(program, io);
  registerDriftCommand(program, io);
  registerAuditClientCommand(program, io);
  if (argv.length === 0) {
    io.stderr('error: missing command (see lean-mock --help)\n');
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; asking for help or the version is no failure.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) {
        return 0;
      }
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(oneLine(`error: ${error.message}`));
      return 2;
    }
    io.stderr(oneLine(`error: ${error instanceof Error ? error.message : String(error)}`));
    return 1;
  }
}

function oneLine(text: string): string {
  return `${text.trim().split('\n')[0]}\n`;
}
