"""SMS-code login: users, one-time codes in Redis, sessions."""
