import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP-conformant memory and time cost). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false; // malformed hash: treat as a mismatch, never as an error page
  }
}

/** A hash of a random password, verified against for unknown usernames so timing reveals nothing. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hash('not-a-real-password-0000'));
