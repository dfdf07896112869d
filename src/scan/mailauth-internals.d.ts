// The two mailauth internals the relay's unsigned-message path calls (mail-auth.ts
// verifyDkim): the verifier dkimVerify() streams a message into, and the header parser its
// stream uses. mailauth ships no types for them; these are the parts we use.
declare module 'mailauth/lib/dkim/dkim-verifier.js' {
  export class DkimVerifier {
    constructor(options: { resolver?: unknown; sender?: string });
    headerFrom: string[];
    envelopeFrom: string | false;
    results: unknown[];
    messageHeaders(headers: unknown): Promise<void>;
    finalChunk(): Promise<void>;
  }
}
declare module 'mailauth/lib/tools.js' {
  export function parseHeaders(buf: Buffer): unknown;
}
