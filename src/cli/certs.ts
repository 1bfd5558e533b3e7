import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { KEY_TYPES, type KeyType } from '../pki/key-types.js';
import { UsageError, type CliIo } from './io.js';

export const DEFAULT_CERTS_DIR = 'lean-mock-certs';

interface CertsFlags {
  out: string;
  keyType: KeyType;
  host: string[];
  force: boolean;
  json: boolean;
}

export function registerCertsCommand(program: Command, io: CliIo): void {
  program
    .command('certs')
    .description('write a Lean-shaped test PKI: CA chain, server and app certificates, bad-certificate catalogue')
    .option('--out <dir>', 'folder to write', DEFAULT_CERTS_DIR)
    .addOption(new Option('--key-type <type>', 'key type').choices(KEY_TYPES).default('ec'))
    .option('--host <name...>', 'extra DNS name or IP address for the server certificate (repeatable)', collect, [])
    .option('--force', 'overwrite a folder that is not empty', false)
    .option('--json', 'print manifest.json instead of a summary', false)
    .addHelpText(
      'after',
      `
Examples:
  lean-mock certs                             write ./${DEFAULT_CERTS_DIR} (lean-mock serve uses it by default)
  lean-mock certs --out ci-certs --key-type rsa
  lean-mock certs --host mock.internal --force   also valid for mock.internal, replacing the folder
  lean-mock certs --json | jq -r '.apps[0].app_token'`,
    )
    .allowExcessArguments(false)
    .action(async (flags: CertsFlags) => {
      const hosts = flags.host.map(checkHost);
      if (flags.out.trim() === '') throw new UsageError('--out needs a folder name');
      const dir = resolve(io.cwd, flags.out);
      // Loaded by the command that uses them, as every command's heavy code (see program.ts).
      const [{ createLeanPki }, { writePkiFolder }] = await Promise.all([import('../pki/lean-pki.js'), import('../pki/folder.js')]);
      const pki = await createLeanPki({ keyType: flags.keyType, hosts });
      const manifest = await writePkiFolder(pki, dir, { force: flags.force });
      if (flags.json) {
        io.stdout(`${JSON.stringify({ dir, ...manifest }, null, 2)}\n`);
        return;
      }
      const app = manifest.apps[0]!;
      io.stdout(
        [
          `lean-mock certs: wrote ${dir}`,
          `  key type     ${manifest.key_type}`,
          `  trust        ${manifest.trust.chain}`,
          `  app cert     ${app.cert}  key ${app.key}  p12 ${app.p12} (password ${manifest.p12_password})`,
          `  app token    ${app.app_token}`,
          `  bad variants ${manifest.variants.map((variant) => variant.name).join(', ')}`,
          `  bad servers  ${(manifest.server_variants ?? []).map((variant) => variant.name).join(', ')} (bad_server/)`,
          `  valid until  ${manifest.valid_until}`,
          '',
        ].join('\n'),
      );
    });
}

function collect(value: string | string[], previous: string[]): string[] {
  return previous.concat(value);
}

const DNS_NAME = /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function checkHost(host: string): string {
  if (isIP(host) || DNS_NAME.test(host)) return host;
  throw new UsageError(`--host "${host}" is neither a DNS name nor an IP address`);
}
