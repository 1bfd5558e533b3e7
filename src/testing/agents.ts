import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { TlsVersion } from '../gateway/tls-server.js';
import { identityNamed, type Identities, type IdentityName } from './identities.js';

/** How a client connects, beside who it is. */
export interface ConnectOptions {
  /** Pins the client to one TLS version; default: whatever the server and Node agree on (1.3). */
  tls?: TlsVersion;
}

/**
 * One keep-alive `https.Agent` per identity and TLS version, each on one shared SecureContext:
 * building a context costs about a millisecond and a fresh one per request defeats session reuse.
 */
export class AgentPool {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly identities: Identities) {}

  /** Throws for an unknown name, and for `key_mismatch`: Node, like any client, refuses to load a key that is not the certificate's. */
  get(name: IdentityName, options: ConnectOptions = {}): Agent {
    const cacheKey = `${name}\n${options.tls ?? ''}`;
    const cached = this.agents.get(cacheKey);
    if (cached) return cached;
    const identity = identityNamed(this.identities, name);
    const version = options.tls ? (`TLSv${options.tls}` as const) : undefined;
    const secureContext = createSecureContext({
      cert: identity.cert,
      key: identity.key,
      ca: identity.ca,
      minVersion: version,
      maxVersion: version,
    });
    const agent = new Agent({ keepAlive: true, secureContext });
    this.agents.set(cacheKey, agent);
    return agent;
  }

  /** Closes every pooled socket; the pool can be used again afterwards. */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
