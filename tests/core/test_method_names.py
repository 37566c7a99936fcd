"""Method and transform names without torch: the schema, the CLI and the daemon's checks name and
validate methods and transforms from stdlib modules, which the torch registries must agree with."""

from __future__ import annotations

import subprocess
import sys

import pytest
from stylebridge.core.feature_transforms import TRANSFORMS
from stylebridge.core.method_names import METHOD_NAMES
from stylebridge.core.methods import METHODS
from stylebridge.core.transform_names import TRANSFORM_NAMES, check_transform_spec

CODE = """
import sys
sys.modules["torch"] = None  # any import of torch now fails
from stylebridge.core.method_names import parse_method_spec
from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
from stylebridge.core.transform_names import check_transform_spec
from stylebridge.service.path_parameters import checked_params

print(parse_method_spec("gram=0.5,bn=0.5"), check_transform_spec("intra=0.3,bn=0.7"))
print(checked_params("optimize", {"method": "bn"})["method"])
print(checked_params("arbitrary", {"transform": "inter"})["transform"])
print("torch" in sys.modules and sys.modules["torch"] is not None)
"""


def test_names_specs_and_parameter_checks_import_without_torch() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "(('gram', 0.5), ('bn', 0.5)) [('transport', 0.3), ('adain', 0.7)]",
        "bn",
        "inter",
        "False",
    ]


def test_registries_name_exactly_the_stdlib_lists_in_order() -> None:
    assert tuple(METHODS) == METHOD_NAMES
    assert tuple(TRANSFORMS) == TRANSFORM_NAMES


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("gram", "unknown transform 'gram'"),
        ("wct=x", "not a number"),
        ("wct=0,adain=0", "needs a weight above 0"),
    ],
)
def test_transform_spec_check_names_the_problem(spec: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        check_transform_spec(spec)


def test_a_registry_that_drifts_from_the_names_refuses_to_import() -> None:
    code = (
        "import stylebridge.core.method_names as names\n"
        "names.METHOD_NAMES = names.METHOD_NAMES[:-1]\n"
        "import stylebridge.core.methods\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "RuntimeError: methods.py registers" in done.stderr
