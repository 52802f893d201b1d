"""The HTML a site pastes to embed a form: a plain form that posts without JavaScript;
a few lines of script, when it runs, add the page's UTM parameters, click ids and URL."""

from __future__ import annotations

from html import escape

from leadbook.domain.capture import ATTRIBUTION, CONTACT_FIELDS, HONEYPOT
from leadbook.models import IntakeForm

INPUT_TYPES = {"email": "email", "phone": "tel"}
SCRIPT = """<script>(function (f) {
  var q = new URLSearchParams(location.search);
  f.querySelectorAll("input[data-attribution]").forEach(function (i) {
    i.value = i.name === "landing_url" ? location.href : (q.get(i.name) || "");
  });
})(document.currentScript.previousElementSibling);</script>"""


def snippet(form: IntakeForm, base_url: str) -> str:
    """Returns the embeddable HTML of ``form``, posting to ``base_url``."""
    action = f"{base_url.rstrip('/')}/intake/{escape(form.key)}"
    lines = [f'<form method="post" action="{action}">']
    for name, target in form.field_map.items():
        label = escape(target.replace("_", " ").capitalize())
        if target == "description":
            control = f'<textarea name="{escape(name)}"></textarea>'
        else:
            kind = INPUT_TYPES.get(target, "text")
            required = " required" if target in CONTACT_FIELDS[:2] else ""
            control = f'<input type="{kind}" name="{escape(name)}"{required}>'
        lines.append(f"  <label>{label} {control}</label>")
    lines.append(
        f'  <input type="text" name="{HONEYPOT}" tabindex="-1" autocomplete="off"'
        ' style="position:absolute;left:-9999px" aria-hidden="true">'
    )
    lines += [f'  <input type="hidden" name="{a}" data-attribution>' for a in ATTRIBUTION]
    lines += ['  <button type="submit">Send</button>', "</form>", SCRIPT]
    return "\n".join(lines)
