"""The settings as an operator reads them: the documentation table generated from the
settings class, and the values in force with passwords hidden (``leadbook settings``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

from leadbook.config import PREFIX, Settings

BOUNDS = (("minimum", "≥ "), ("exclusiveMinimum", "> "), ("maximum", "≤ "))


def accepts(schema: dict[str, Any]) -> str:
    """Returns what a variable accepts, read from its JSON schema."""
    if "accepts" in schema:
        return schema["accepts"]
    if "enum" in schema:
        return " or ".join(f"`{v}`" for v in schema["enum"])
    if schema.get("type") == "boolean":
        return "`true` or `false`"
    if "pattern" in schema:
        return f"text matching `{schema['pattern']}`"
    kind = {"integer": "whole number", "number": "number", "string": "text"}[schema["type"]]
    if schema.get("minLength"):
        kind = "non-empty text"
    bounds = [f"{sign}{schema[key]:,}" for key, sign in BOUNDS if key in schema]
    return ", ".join([kind, *bounds])


def markdown() -> str:
    """Returns the Markdown table of every setting: variable, default, accepted values, use."""
    rows = ["| Variable | Default | Accepts | Meaning |", "| --- | --- | --- | --- |"]
    for name, schema in Settings.model_json_schema()["properties"].items():
        default = schema.get("default")
        if isinstance(default, bool):
            default = str(default).lower()
        shown = f"`{default}`" if default not in ("", None) else "(empty)"
        rows.append(
            f"| `{PREFIX}{name.upper()}` | {shown} | {accepts(schema)} | {schema['description']} |"
        )
    return "\n".join(rows) + "\n"


def current(settings: Settings) -> dict[str, str]:
    """Returns each variable's value in force, passwords (and URLs' passwords) hidden."""
    shown = {}
    for name, value in settings.model_dump().items():
        if name.endswith("_url") and value:
            value = make_url(value).render_as_string(hide_password=True)
        elif name.endswith("_password") and value:
            value = "***"
        shown[f"{PREFIX}{name.upper()}"] = str(value)
    return shown
