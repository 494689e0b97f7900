/** A paired POS terminal, as the API knows it after `hello`. */
export interface Terminal {
  readonly id: string;
  readonly name: string;
}

/** Checks pairing tokens (the store implements it; tests use an in-memory one). */
export interface TerminalAuthenticator {
  /** The terminal a token belongs to, or undefined for unknown or revoked tokens. */
  authenticate(token: string): Terminal | undefined;
}
