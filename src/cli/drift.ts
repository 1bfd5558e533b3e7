import type { Command } from 'commander';
import { UsageError, type CliIo } from './io.js';
import { addUpstreamOptions, CREDENTIALS_HELP, readUpstream, type UpstreamFlags } from './upstream-flags.js';

interface DriftFlags extends UpstreamFlags {
  customerId?: string;
  entityId?: string;
  upstreamAdmin?: string;
  seed: string;
  json: boolean;
}

const EXISTING_HELP = `
Probes about a connected bank (entities, data v1/v2, insights) need an entity. Lean creates one
only through the LinkSDK in a browser: connect a test user once, then pass its ids with
--customer-id/--entity-id (or LEAN_DRIFT_CUSTOMER_ID/LEAN_DRIFT_ENTITY_ID). Without them those
probes are listed as skipped. A lean-mock upstream connects one itself with --upstream-admin.
Exit codes: 0 no drift, 1 drift (or a probe failed), 2 usage error.`;

/** `lean-mock drift`: the probe set against the upstream and a fresh in-process mock; a table, or `--json`. */
export function registerDriftCommand(program: Command, io: CliIo, env: NodeJS.ProcessEnv = process.env): void {
  addUpstreamOptions(program.command('drift').description('compare the upstream with lean-mock: status class and response shape, probe by probe'))
    .option('--customer-id <id>', 'an upstream customer with a connected entity (or LEAN_DRIFT_CUSTOMER_ID)')
    .option('--entity-id <id>', 'that entity (or LEAN_DRIFT_ENTITY_ID)')
    .option('--upstream-admin <url>', "when the upstream is a lean-mock: its admin URL, to connect an entity as the LinkSDK would")
    .option('--seed <n>', "the in-process mock's data seed", '1')
    .option('--json', 'print the report as JSON', false)
    .allowExcessArguments(false)
    .addHelpText('after', `${CREDENTIALS_HELP}\n${EXISTING_HELP}`)
    .action(async (flags: DriftFlags) => {
      const customerId = flags.customerId ?? (env.LEAN_DRIFT_CUSTOMER_ID || undefined);
      const entityId = flags.entityId ?? (env.LEAN_DRIFT_ENTITY_ID || undefined);
      if ((customerId === undefined) !== (entityId === undefined)) throw new UsageError('--customer-id and --entity-id go together: the entity must be that customer\'s');
      if (flags.upstreamAdmin !== undefined && !/^https?:\/\/\S+$/.test(flags.upstreamAdmin)) {
        throw new UsageError(`--upstream-admin must be an http(s):// URL, not "${flags.upstreamAdmin}"`);
      }
      const seed = Number(flags.seed);
      if (!/^\d+$/.test(flags.seed) || seed > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, not "${flags.seed}"`);
      const upstream = await readUpstream(flags, io, env);
      const { runDrift, renderDrift, summaryLine } = await import('../drift/index.js');
      const report = await runDrift({
        upstream: upstream.url,
        identity: upstream.identity,
        credentials: upstream.credentials,
        tokenUrl: upstream.tokenUrl,
        seed,
        ...(customerId && entityId ? { existing: { customerId, entityId } } : {}),
        ...(flags.upstreamAdmin ? { upstreamAdmin: flags.upstreamAdmin } : {}),
      });
      io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderDrift(report));
      if (report.upstreamFailure) {
        const { explainUpstreamFailure } = await import('../upstream/explain.js');
        const { UpstreamFailure } = await import('../upstream/failure.js');
        const failure = new UpstreamFailure(report.upstreamFailure.code, report.upstreamFailure.message);
        const { identity, names } = upstream;
        const explanation = await explainUpstreamFailure(failure, new URL(upstream.url), {
          cert: { data: identity.cert, name: names.cert },
          key: { data: identity.key, name: names.key },
          ...(identity.ca && names.ca ? { ca: { data: identity.ca, name: names.ca } } : {}),
        }, upstream.credentials);
        io.stderr(explanation.text);
      }
      if (report.summary.drifted || report.summary.failed) throw new Error(summaryLine(report));
    });
}
