import type { AuthorityOptions, TestAuthority } from './authority-types.js';

/**
 * A root and an intermediate CA for tests of your own (trustme-style). The X.509 library loads on
 * the first call, not with `lean-mock`, and its types stay out of the public declarations.
 *
 * @example
 * const ca = await createTestAuthority();
 * const server = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
 * const client = await ca.issueClientCertificate('my-app');
 * https.createServer({ key: server.privateKeyPem, cert: server.certificatePem, ca: ca.chainPem, requestCert: true });
 */
export async function createTestAuthority(options: AuthorityOptions = {}): Promise<TestAuthority> {
  const { createTestAuthority: create } = await import('./authority.js');
  return create(options);
}
