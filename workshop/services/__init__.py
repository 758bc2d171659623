"""Business rules. Services take a session, the acting party and typed input; they only flush:
the request (or CLI command) commits or rolls back once."""
