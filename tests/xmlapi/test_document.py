"""The XML reader refuses what it must and the writer keeps the layout clients rely on."""

from __future__ import annotations

import pytest

from leadbook.domain.errors import InvalidValue
from leadbook.xmlapi.document import read_object, render_errors, render_list, render_object
from leadbook.xmlapi.errors import MalformedXml
from leadbook.xmlapi.fields import KNOWN

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lead [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lead><topic>&lol3;</topic></lead>"""


def _read(body: bytes) -> dict[str, str]:
    fields, ignored = read_object(body, "lead", KNOWN)
    assert not ignored
    return fields


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE lead [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<lead><topic>&secret;</topic></lead>"""


def test_reads_children_by_tag_with_or_without_prolog():
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n<lead>\n  <topic>Fleet</topic>\n</lead>'
    assert _read(body) == {"topic": "Fleet"}
    assert _read(b"<lead><topic/><value>1</value></lead>") == {
        "topic": "",
        "value": "1",
    }


def test_reads_escaped_text_and_utf8():
    body = "<lead><topic>R&amp;D — café &lt;b&gt;</topic></lead>".encode()
    assert _read(body) == {"topic": "R&D — café <b>"}


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_refuses_any_dtd(payload):
    with pytest.raises(MalformedXml, match="DTD"):
        _read(payload)


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"", "empty"),
        (b"<lead><topic>x</lead>", "not well-formed"),
        (b"<contact><topic>x</topic></contact>", "root element must be <lead>"),
        (b"not xml at all", "not well-formed"),
    ],
)
def test_refuses_malformed_documents(payload, message):
    with pytest.raises(MalformedXml, match=message):
        _read(payload)


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"<lead><topic><b>x</b></topic></lead>", "must hold text"),
        (b"<lead><topic>a</topic><topic>b</topic></lead>", "more than once"),
        (b"<lead>stray<topic>a</topic></lead>", "outside its elements"),
    ],
)
def test_refuses_documents_that_are_not_flat(payload, message):
    with pytest.raises(InvalidValue, match=message):
        _read(payload)


def test_unknown_elements_are_left_unread_even_when_nested_or_repeated():
    body = b"<lead><is_active>0</is_active><topic>a</topic><bill_lines><l>1</l></bill_lines>"
    body += b"<is_active>1</is_active></lead>"
    assert read_object(body, "lead", KNOWN) == ({"topic": "a"}, ["is_active", "bill_lines"])


@pytest.mark.parametrize("encoding", ["UTF-7", "UTF-16", "bogus", "UTF-32"])
def test_refuses_encodings_it_cannot_read(encoding):
    body = f'<?xml version="1.0" encoding="{encoding}"?><lead><topic>a</topic></lead>'
    with pytest.raises(MalformedXml):
        _read(body.encode())


def test_object_layout_is_two_space_indented_without_self_closing_tags():
    body = render_object("lead", [("id", "42"), ("topic", "R&D <x>"), ("description", "")])
    assert body.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<lead>\n"
        "  <id>42</id>\n"
        "  <topic>R&amp;D &lt;x&gt;</topic>\n"
        "  <description></description>\n"
        "</lead>\n"
    )


def test_list_layout_has_array_root_items_then_pagination():
    body = render_list("leads", "lead", [[("id", "1")], [("id", "2")]], 2, 3).decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<leads type="array">\n')
    assert body.endswith("</leads>\n")
    assert "  <lead>\n    <id>1</id>\n  </lead>\n  <lead>\n    <id>2</id>\n  </lead>\n" in body
    assert (
        "  <pagination>\n    <current_page>2</current_page>\n"
        "    <total_pages>3</total_pages>\n"
        "    <current_page_items_count>2</current_page_items_count>\n  </pagination>\n" in body
    )


def test_text_that_xml_cannot_carry_is_replaced_and_carriage_returns_survive():
    body = render_object("lead", [("description", "a\x00b\r\nc")])
    assert _read(body) == {"description": "a\ufffdb\r\nc"}


def test_errors_document():
    assert (
        render_errors(["Bad", "Worse"])
        .decode()
        .endswith("<errors>\n  <error>Bad</error>\n  <error>Worse</error>\n</errors>\n")
    )
