/**
 * The key types a PKI can be built with, apart from the code that generates them, so that
 * option parsing and manifest validation do not load the X.509 library.
 */

/** The two key types Lean-like PKIs use: EC P-256 (fast, the default) and RSA-2048. */
export type KeyType = 'ec' | 'rsa';

export const KEY_TYPES: readonly KeyType[] = ['ec', 'rsa'];

export function isKeyType(value: string): value is KeyType {
  return (KEY_TYPES as readonly string[]).includes(value);
}
