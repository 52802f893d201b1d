"""The SQL of described objects: what the lead_complete object does not exercise."""

from __future__ import annotations

from leadbook import models as m
from leadbook.readmodel import read
from leadbook.readmodel.shape import Const, Number, Obj, Text, Value
from tests.readmodel.conftest import NOW


def test_an_object_of_more_keys_than_a_function_takes(db, admin):
    # PostgreSQL's json_build_object takes 100 arguments: 130 keys are built in parts
    keys = [f"k{i}" for i in range(130)]
    nodes = [Text("number"), Value("priority"), Number("target_amount"), Const("it's")]
    wide = Obj({key: nodes[i % 4] for i, key in enumerate(keys)})
    found = read.one(db, admin, wide, m.Lead.number == 40, NOW)
    lead = db.query(m.Lead).filter_by(number=40).one()
    assert found is not None and list(found) == keys
    assert found["k0"] == "40" and found["k1"] == lead.priority and found["k127"] == "it's"
    assert found["k126"] == found["k2"] and type(found["k126"]) is type(found["k2"])
