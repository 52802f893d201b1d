"""The lead form's messages: the form's labels (never an API name), each next to its field
and describing it, required fields marked, and a source the user sees filled in."""

import re

from leadbook.models import Lead


def _form_fields(page: str) -> dict:
    """The values the new lead form is shown with (inputs, chosen options)."""
    data = dict(re.findall(r'<input[^>]* name="(\w+)"[^>]* value="([^"]*)"', page))
    for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option (?:value="([^"]*)" )?selected>([^<]*)<', options)
        if chosen:
            data[name] = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
    return data


def test_the_new_lead_form_as_shown_is_accepted_with_its_source(signed_in, reference, db):
    page = signed_in.get("/web/leads/new").text
    assert re.search(r'name="source_name" required value="Web"', page)
    data = {**_form_fields(page), "type": reference["type"].id, "last_name": "Curie"}
    answer = signed_in.post("/web/leads/new", data=data, follow_redirects=False)
    assert answer.status_code == 303
    lead = db.query(Lead).one()
    assert (lead.source_type, lead.source_name) == ("OTHER", "Web")


def test_a_blank_source_name_is_refused_with_its_label_next_to_the_field(signed_in, reference, db):
    page = signed_in.get("/web/leads/new").text
    data = {
        **_form_fields(page),
        "type": reference["type"].id,
        "last_name": "Curie",
        "source_name": "",
    }
    answer = signed_in.post("/web/leads/new", data=data)
    assert answer.status_code == 422 and "source.name" not in answer.text
    assert re.search(r'name="source_name"[^>]*aria-describedby="source_name-error"', answer.text)
    note = re.search(r'<span class="field-error" id="source_name-error">([^<]*)<', answer.text)
    assert note.group(1) == "Source name is mandatory for source type OTHER"
    assert db.query(Lead).count() == 0


def test_a_source_without_its_reference_is_worded_for_a_person(signed_in, reference):
    page = signed_in.get("/web/leads/new").text
    data = {
        **_form_fields(page),
        "type": reference["type"].id,
        "last_name": "Curie",
        "source_type": "COMMUNICATIONS",
    }
    answer = signed_in.post("/web/leads/new", data=data)
    assert answer.status_code == 422 and "_identifier" not in answer.text
    assert "The source&#39;s communication is mandatory for source type COMMUNICATIONS" in (
        answer.text
    )
    assert 'aria-describedby="source_type-error"' in answer.text


def test_a_number_out_of_range_names_the_label_at_its_field(signed_in, reference):
    page = signed_in.get("/web/leads/new").text
    data = {
        **_form_fields(page),
        "type": reference["type"].id,
        "last_name": "Curie",
        "probability_to_win": "150",
    }
    answer = signed_in.post("/web/leads/new", data=data)
    assert "probability_to_win must" not in answer.text
    note = re.search(r'id="probability_to_win-error">([^<]*)<', answer.text).group(1)
    assert note == "Probability to win must be from 0 to 100, not 150"
    field = re.search(r'<input name="probability_to_win"[^>]*>', answer.text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="probability_to_win-error"' in field


def test_required_fields_are_marked(signed_in, reference):
    page = signed_in.get("/web/leads/new").text
    for name in ("type", "importance", "priority", "start_date", "source_name"):
        label = re.search(
            rf'<label>([^<]*)<abbr class="req"[^>]*>\*</abbr> <\w+[^>]* name="{name}" required',
            page,
        )
        assert label, name
    assert re.search(r'<input name="topic"(?![^>]*required)', page)
