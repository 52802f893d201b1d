"""leadbook settings: the settings in force, or the table of every setting; and the check
of the settings every other command starts with."""

from __future__ import annotations

import typer

from leadbook.cli.common import fail


def check(context: typer.Context) -> None:
    """Refuses to run any command but ``settings`` on settings the environment got wrong."""
    from leadbook.config import SettingsError, get_settings

    if context.invoked_subcommand != "settings":
        try:
            get_settings()
        except SettingsError as exc:
            fail(exc)


def settings(
    markdown: bool = typer.Option(False, help="Print docs/operations.md's table of settings"),
) -> None:
    """Prints the settings in force (passwords hidden), or the table of every setting."""
    from leadbook import settingsdoc
    from leadbook.config import SettingsError, get_settings

    if markdown:
        typer.echo(settingsdoc.markdown(), nl=False)
        return
    try:
        shown = settingsdoc.current(get_settings())
    except SettingsError as exc:
        fail(exc)
    for name, value in shown.items():
        typer.echo(f"{name}={value}")
