import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Pool } from 'pg';

// HQ page's users (migration 003_users.sql): a name, a role and the argon2id hash of the password
// (@node-rs/argon2's default algorithm; its PHC string says $argon2id$). Sessions are kept as the hash
// of the cookie's token with the CSRF token the session's forms carry.

export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface HqUser {
  name: string;
  role: Role;
  createdAt: Date;
}

export interface Session {
  user: string;
  role: Role;
  csrfToken: string;
  expiresAt: Date;
}

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;
/** Long enough that a guessed password is not the weak point; argon2 takes any length beyond. */
export const MIN_PASSWORD_LENGTH = 10;

/** Why `name` cannot be a user name, or undefined. */
export function userNameProblem(name: string): string | undefined {
  return NAME.test(name) ? undefined : 'a user name is 1–64 letters, digits, . _ @ and -';
}

export function isRole(value: string | undefined): value is Role {
  return (ROLES as readonly string[]).includes(value ?? '');
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A hash computed once with the same parameters, verified when a name is unknown: a login then takes
 * as long whether or not the user exists, so timing does not tell which names are users.
 */
let unknownUserHash: Promise<string> | undefined;

export class UserStore {
  constructor(private readonly pool: Pool) {}

  /** Adds `name`, or replaces its role and password when it exists (a reset). Returns whether it was new. */
  async add(name: string, role: Role, password: string): Promise<boolean> {
    const problem = userNameProblem(name);
    if (problem) throw new Error(problem);
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const passwordHash = await hash(password);
    const { rows } = await this.pool.query<{ inserted: boolean }>(
      `INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
       RETURNING (xmax = 0) AS inserted`,
      [name, role, passwordHash],
    );
    // A reset password signs the user out everywhere.
    if (rows[0]?.inserted !== true)
      await this.pool.query('DELETE FROM sessions WHERE user_name = $1', [name]);
    return rows[0]?.inserted === true;
  }

  async list(): Promise<HqUser[]> {
    const { rows } = await this.pool.query<{ name: string; role: Role; created_at: Date }>(
      'SELECT name, role, created_at FROM users ORDER BY name',
    );
    return rows.map((row) => ({ name: row.name, role: row.role, createdAt: row.created_at }));
  }

  /** Removes the user and its sessions; false when there was none. */
  async remove(name: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM users WHERE name = $1', [name]);
    return result.rowCount === 1;
  }

  /** The user's role when the password is right, else undefined. */
  async check(name: string, password: string): Promise<Role | undefined> {
    const { rows } = await this.pool.query<{ role: Role; password_hash: string }>(
      'SELECT role, password_hash FROM users WHERE name = $1',
      [name],
    );
    const row = rows[0];
    if (!row) {
      unknownUserHash ??= hash(randomBytes(16).toString('hex'));
      await verify(await unknownUserHash, password).catch(() => false);
      return undefined;
    }
    return (await verify(row.password_hash, password).catch(() => false)) ? row.role : undefined;
  }

  /** A new session for `name`; its cookie token (only its hash is stored). */
  async openSession(name: string, lifetimeMs: number, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.pool.query(
      'INSERT INTO sessions (token_hash, user_name, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenHash(token), name, randomBytes(32).toString('base64url'), new Date(now + lifetimeMs)],
    );
    // Expired sessions go when anyone signs in: the table stays the size of the signed-in users.
    await this.pool.query('DELETE FROM sessions WHERE expires_at < $1', [new Date(now)]);
    return token;
  }

  /** The session of a cookie token, unless it is unknown or expired. */
  async session(token: string, now: number): Promise<Session | undefined> {
    const { rows } = await this.pool.query<{
      user_name: string;
      role: Role;
      csrf_token: string;
      expires_at: Date;
    }>(
      `SELECT s.user_name, u.role, s.csrf_token, s.expires_at
         FROM sessions s JOIN users u ON u.name = s.user_name
        WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [tokenHash(token), new Date(now)],
    );
    const row = rows[0];
    return (
      row && { user: row.user_name, role: row.role, csrfToken: row.csrf_token, expiresAt: row.expires_at }
    );
  }

  async closeSession(token: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
  }
}
