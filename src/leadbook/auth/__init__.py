"""Authentication: password hashing and access tokens."""

from leadbook.auth import revocation as revocation  # registers the token revocation listener
