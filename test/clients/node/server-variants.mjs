// Node's three common HTTPS clients against a list of servers, each set up as the README snippet
// shows: cert, key and ca in the TLS options, every other setting the default — or, for an
// insecure target, rejectUnauthorized: false. A child process rather than the test's own: a
// global dispatcher or agent must not leak from one library (or one test) into another.
//
// Usage: node server-variants.mjs https|undici|axios   (targets on stdin)
// Reads one target per stdin line, tab-separated: NAME URL CA_FILE CERT_FILE KEY_FILE 1.2|1.3 0|1
// Prints one JSON line per target: {"name","ok":true,"status"} or {"name","ok":false,"error"}.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const VERSIONS = { '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

/** The TLS options every library takes, as the README's `https.Agent` snippet writes them. */
function tlsOptions([, , caFile, certFile, keyFile, version, insecure]) {
  const pinned = VERSIONS[version];
  if (!pinned) throw new Error(`unknown TLS version ${version}`);
  const options = {
    ca: readFileSync(caFile),
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    minVersion: pinned,
    maxVersion: pinned,
  };
  if (insecure === '1') options.rejectUnauthorized = false;
  return options;
}

const LIBRARIES = {
  async https(fields) {
    // A fresh agent per target: no socket or TLS session carries over to the next server.
    const agent = new https.Agent(tlsOptions(fields));
    try {
      return await new Promise((resolve, reject) => {
        const request = https.get(fields[1], { agent }, (reply) => {
          reply.resume();
          reply.on('end', () => resolve(reply.statusCode));
          reply.on('error', reject);
        });
        request.setTimeout(10_000, () => request.destroy(new Error('timed out after 10 s')));
        request.on('error', reject);
      });
    } finally {
      agent.destroy();
    }
  },
  async undici(fields) {
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent({ connect: tlsOptions(fields) });
    try {
      const reply = await request(fields[1], { dispatcher, headersTimeout: 10_000, bodyTimeout: 10_000 });
      await reply.body.dump();
      return reply.statusCode;
    } finally {
      await dispatcher.close();
    }
  },
  async axios(fields) {
    const { default: axios } = await import('axios');
    const httpsAgent = new https.Agent(tlsOptions(fields));
    try {
      const reply = await axios.get(fields[1], { httpsAgent, proxy: false, timeout: 10_000 });
      return reply.status;
    } catch (error) {
      // axios throws for a 4xx/5xx reply: the handshake went through all the same.
      if (error?.response) return error.response.status;
      throw error;
    } finally {
      httpsAgent.destroy();
    }
  },
};

/** The library's own words: error code (and its cause's, as undici and axios wrap them) and message. */
function describe(error) {
  const parts = [];
  for (let at = error, depth = 0; at && depth < 4; at = at.cause, depth += 1) {
    parts.push(`${at.code ?? at.name ?? 'Error'}: ${at.message}`);
  }
  return parts.join(' <- ');
}

const library = LIBRARIES[process.argv[2]];
if (!library) {
  console.error(`usage: node server-variants.mjs ${Object.keys(LIBRARIES).join('|')}`);
  process.exit(2);
}
const lines = readFileSync(0, 'utf8').split('\n').filter((line) => line.trim() !== '');
for (const line of lines) {
  const fields = line.split('\t');
  let out;
  try {
    if (fields.length !== 7) throw new Error(`expected 7 tab-separated fields, got ${fields.length}`);
    out = { name: fields[0], ok: true, status: await library(fields) };
  } catch (error) {
    out = { name: fields[0], ok: false, error: describe(error) };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
