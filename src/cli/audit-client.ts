import { Option, type Command } from 'commander';
import { UsageError, type CliIo } from './io.js';

interface AuditFlags {
  certs?: string;
  json: boolean;
  tls?: '1.2' | '1.3';
  timeoutMs: string;
}

/**
 * `lean-mock audit-client -- COMMAND…`: does the user's own client, in any language, verify the
 * server? Only the wiring lives here; the audit (which starts a mock) is loaded when it runs.
 */
export function registerAuditClientCommand(program: Command, io: CliIo): void {
  program
    .command('audit-client')
    .description('run your client once per bad server certificate and check it refuses every one it must')
    .argument('<command...>', 'the client command, after --; {url}, {ca}, {cert} and {key} are substituted')
    .option('--certs <dir>', 'certificate folder from "lean-mock certs" (default: generate and reuse .lean-mock/certs)')
    .addOption(new Option('--tls <version>', 'offer only this TLS version (default: 1.2 and 1.3)').choices(['1.2', '1.3']))
    .option('--timeout-ms <n>', 'longest one run of the command may take', '30000')
    .option('--json', 'print the verdicts as one JSON object', false)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  lean-mock audit-client -- curl -sS --cacert {ca} --cert {cert} --key {key} {url}/banks/v1',
        '  lean-mock audit-client --json -- python my_client.py --base-url {url} --ca {ca}',
        '',
        'Exit code 0 when every must-refuse variant was refused, 1 when one was accepted or never reached, 2 for a usage error.',
      ].join('\n'),
    )
    .action(async (command: string[], flags: AuditFlags) => {
      const timeoutMs = Number(flags.timeoutMs);
      if (!/^\d+$/.test(flags.timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout-ms must be a positive whole number, not "${flags.timeoutMs}"`);
      const { auditClient, renderAudit } = await import('../audit/audit-client.js');
      const report = await auditClient({ command, certs: flags.certs, tls: flags.tls, timeoutMs, cwd: io.cwd });
      io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderAudit(report));
      if (!report.pass) throw new AuditFailed();
    });
}

/** The audit ran and the client failed it: exit 1 with the table already printed. */
export class AuditFailed extends Error {
  override name = 'AuditFailed';
  constructor() {
    super('the client accepted (or never reached) a server certificate it must refuse');
  }
}
