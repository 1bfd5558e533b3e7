/** What the upstream answered, or why it did not. Apart from the client so the OAuth token source can share them. */

export interface UpstreamReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** No HTTP answer came: refused, unreachable, untrusted, or the reply was too large. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

