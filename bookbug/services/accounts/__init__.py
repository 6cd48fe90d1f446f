"""Accounts: local registration and sign-in, browser sessions, personal API tokens, operators.

One module a concern; import from the one you need (this package exposes nothing itself):
  errors.py        the refusals a person can fix (kinds of `bookbug.errors.AccountError`)
  passwords.py     argon2 hashing and verifying, and the password length rules
  checks.py        the input rules: e-mail, password, name
  registration.py  creating a local account
  sign_in.py       checking an e-mail and password (with the limits on guessing)
  sessions.py      opening, listing and revoking browser sessions
  tickets.py       the one-time ticket that carries a checked sign-in to the session cookie
  api_tokens.py    creating, listing and revoking personal API tokens
  operators.py     granting and revoking the operator role
  users.py         a user by id
Who a token, a session or a Clerk user id belongs to is the credential store's, below the
services where every door can reach it: `bookbug/providers/auth/` (sessions.py, api_tokens.py,
clerk_users.py, roles.py).

Every function opens its own transaction on `db_url` (default: the settings' database), so a
page, a REST route or a test calls it the same way. Failures the user can fix raise an
`AccountError` whose `message` is a sentence fit to show them (and `field` names the input at
fault), so the edges only translate, never reword.

Secrets are never stored: passwords as argon2 hashes, session and API tokens as SHA-256
hashes of 256 random bits (`providers/auth/hashing.py`).
"""
