"""The style methods' names and the check of a method spec ("gram", "gram=0.5,bn=0.5").

Stdlib only, so that the parameter declaration (`optimize_params.py`), the daemon's checks before
a job is queued and the CLI can name and validate methods without importing torch and every loss
module; `methods.py` holds the losses and refuses to import if its registry names differ.
"""

from __future__ import annotations

from stylebridge.core.params import parse_named_weights

# The order of the registry in methods.py, which the daemon's `list_methods` reports.
METHOD_NAMES: tuple[str, ...] = (
    "gram", "mmd-linear", "mmd-poly", "mmd-gauss", "bn", "intra", "inter",
)  # fmt: skip


def check_method_name(name: str) -> None:
    """ValueError naming `name` and the known methods when it is not one of them."""
    if name not in METHOD_NAMES:
        raise ValueError(f"unknown method {name!r}; known: {', '.join(METHOD_NAMES)}")


def parse_method_spec(spec: str) -> tuple[tuple[str, float], ...]:
    """'gram' or 'gram=0.5,bn=0.5' -> ((name, weight), ...); weights are used as given."""
    if not spec.strip():
        raise ValueError(f"method must be one of {', '.join(METHOD_NAMES)} or a fusion like "
                         "gram=0.5,bn=0.5, got an empty value")  # fmt: skip
    out = parse_named_weights(spec, "method")
    for name, _ in out:
        check_method_name(name)
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise ValueError(f"method {spec!r} names a method twice")
    if sum(w for _, w in out) <= 0.0:
        raise ValueError(f"method weights in {spec!r} are all zero")
    return tuple(out)
