"""No module of leadbook imports, directly or through others, a module that imports it."""

import graphlib

import grimp
import pytest

pytestmark = pytest.mark.once


def test_no_import_cycle():
    graph = grimp.build_graph("leadbook", exclude_type_checking_imports=True)
    imports = {name: graph.find_modules_directly_imported_by(name) for name in graph.modules}
    try:
        graphlib.TopologicalSorter(imports).prepare()
    except graphlib.CycleError as exc:
        raise AssertionError(f"import cycle: {' → '.join(exc.args[1])}") from None
