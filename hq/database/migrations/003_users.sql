-- HQ page's users and their sessions (hq/web/). A password is kept only as its argon2id hash; a
-- session only as the SHA-256 of its cookie token, so a copy of the database signs nobody in.

CREATE TABLE users (
  name text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('viewer', 'operator')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  -- The synchronizer token every POST of this session must carry.
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
