"""Declared parameters: the one source from which CLI flags, the daemon's `list_methods` schema and
the plugins' dialogs are built, and against which every incoming value is validated."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["int", "float", "bool", "choice", "string"]


@dataclass(frozen=True)
class ParameterSpec:
    """One user-facing parameter: its type, range, default and the label an editor shows."""

    name: str
    kind: Kind
    default: Any
    label: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)

    def to_wire(self) -> dict[str, Any]:
        """A plain dict (msgpack/JSON-safe) describing this parameter."""
        out = asdict(self)
        out["choices"] = list(self.choices)
        return {k: v for k, v in out.items() if v is not None}


def _check_number(spec: ParameterSpec, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"parameter {spec.name!r} must be a number, got {value!r}")
    if spec.kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"parameter {spec.name!r} must be a whole number, got {value!r}")
        value = int(value)
    elif not math.isfinite(value):
        raise ValueError(f"parameter {spec.name!r} must be finite, got {value!r}")
    else:
        value = float(value)
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"parameter {spec.name!r} must be >= {spec.minimum}, got {value!r}")
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(f"parameter {spec.name!r} must be <= {spec.maximum}, got {value!r}")
    return value


def check_value(spec: ParameterSpec, value: Any) -> Any:
    """`value` as the spec's type, or ValueError naming the parameter and what is allowed."""
    if spec.kind in ("int", "float"):
        return _check_number(spec, value)
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"parameter {spec.name!r} must be true or false, got {value!r}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"parameter {spec.name!r} must be a string, got {value!r}")
    if spec.kind == "choice" and value not in spec.choices:
        raise ValueError(
            f"parameter {spec.name!r} must be one of {list(spec.choices)}, got {value!r}"
        )
    return value


def validate(specs: Iterable[ParameterSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with `values`, each checked; unknown names are an error."""
    by_name = {spec.name: spec for spec in specs}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; known: {sorted(by_name)}")
    out = {name: spec.default for name, spec in by_name.items()}
    for name, value in values.items():
        out[name] = check_value(by_name[name], value)
    return out


def parse_named_weights(spec: str, what: str) -> tuple[tuple[str, float], ...]:
    """'a=0.7,b' -> (('a', 0.7), ('b', 1.0)) for fusion and blend specs: a missing weight is 1,
    and each weight must be a finite number >= 0 (ValueError naming `what` and the bad entry)."""
    out: list[tuple[str, float]] = []
    for part in (p.strip() for p in spec.split(",")):
        name, sep, weight_text = (s.strip() for s in part.partition("="))
        if not name:
            raise ValueError(f"{what} {spec!r} has an entry without a name")
        try:
            weight = float(weight_text) if sep else 1.0
        except ValueError:
            raise ValueError(f"{what} weight in {part!r} is not a number") from None
        if not 0.0 <= weight < math.inf:
            raise ValueError(f"{what} weight in {part!r} must be a finite number >= 0")
        out.append((name, weight))
    return tuple(out)
