"""leadbook create-user, create-api-key, revoke-api-key: who may log in."""

from __future__ import annotations

import typer

from leadbook.cli.common import fail, sessions


def create_user(
    username: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    person_name: str = "",
    email: str = "",
    unit: str = typer.Option("", help="Name of the user's default unit"),
    role: str = typer.Option(
        "", help="ADMIN, MANAGER, SALES or READ_ONLY (docs/access.md); a new user is SALES"
    ),
    clearance: str = typer.Option("", help="Number of the highest privacy level the user sees"),
) -> None:
    """Creates a user who can log in (or resets the password of an existing one, and sets
    what else is given)."""
    from leadbook.db import transaction
    from leadbook.domain.errors import DomainError
    from leadbook.refdata import config

    row = {"username": username, "password": password}
    for key, value in (
        ("person_name", person_name),
        ("email", email),
        ("unit", unit),
        ("role", role),
        ("clearance", clearance),
    ):
        if value:
            row[key] = value
    try:
        with transaction(sessions()) as db:
            outcome = config.apply(db, {"users": [row]})
    except DomainError as exc:
        fail(exc)
    typer.echo(f"User {username} {'created' if outcome.created else 'updated'}.")


def create_api_key(
    username: str,
    unit: str = typer.Option("", help="Name of the unit its tokens act in (default: the user's)"),
    label: str = typer.Option("", help="What the key is for, e.g. the integration's name"),
) -> None:
    """Creates a web API key for USERNAME and prints it (once: only its hash is stored).

    An integration exchanges it for a token at ``authentication/web_api_key/token``."""
    from leadbook.auth import tokens
    from leadbook.db import transaction
    from leadbook.domain import identifiers
    from leadbook.domain.errors import DomainError

    try:
        with transaction(sessions()) as db:
            user = identifiers.resolve(db, "user", {"username": username}, param="username")
            chosen = identifiers.resolve(db, "unit", {"name": unit}, param="unit") if unit else None
            key = tokens.issue_api_key(db, user, unit=chosen, label=label)
    except DomainError as exc:
        fail(exc)
    typer.echo(key)


def revoke_api_key(key: str) -> None:
    """Makes a web API key unusable for any later login."""
    from leadbook.auth import tokens
    from leadbook.db import transaction
    from leadbook.domain.errors import DomainError

    try:
        with transaction(sessions()) as db:
            tokens.revoke_api_key(db, key)
    except DomainError as exc:
        fail(exc)
    typer.echo("Key revoked.")
