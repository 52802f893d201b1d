"""Authentication: password hashing and access tokens."""
