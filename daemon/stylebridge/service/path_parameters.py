"""Each stylize path's parameter table, and the one check of a request's parameters against it,
done by the server before it answers `accepted`.

Light at import (no torch): the server's request loop imports it; the tables come from the core
only when a request asks for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from stylebridge.service import protocol as wire
from stylebridge.service.protocol import ProtocolError

# Optimisation parameters the daemon decides itself, or that would read files.
DAEMON_ONLY_PARAMETERS = ("device",)


def parameter_specs(path: str) -> tuple[Any, ...]:
    """The ParameterSpec table of a path (the network path's module may be absent)."""
    if path == wire.PATH_OPTIMIZE:
        from stylebridge.core import optimize_params

        return optimize_params.OPTIMIZE_PARAMETERS
    if path == wire.PATH_ARBITRARY:
        from stylebridge.core.arbitrary_params import ARBITRARY_PARAMETERS

        return ARBITRARY_PARAMETERS
    try:
        network_params = importlib.import_module("stylebridge.core.network_params")
    except ImportError:
        raise ProtocolError("unknown_method", "the network path is not installed") from None
    return network_params.NETWORK_PARAMETERS


def checked_params(path: str, values: dict[str, Any], styles: Sequence[Any] = ()) -> dict[str, Any]:
    """The path's parameters validated against its schema; ProtocolError(bad_parameter).
    `styles` (the request's, with `.name`) are checked against init 'network' when given."""
    if path == wire.PATH_ECHO:
        return {}
    try:
        from stylebridge.core.params import validate

        hidden = sorted(set(values) & set(DAEMON_ONLY_PARAMETERS))
        if hidden:
            raise ValueError(f"parameter(s) {hidden} are chosen by the daemon")
        # Without the daemon's own: an error listing the known names must not offer them.
        specs = [s for s in parameter_specs(path) if s.name not in DAEMON_ONLY_PARAMETERS]
        checked = validate(specs, values)
        if path == wire.PATH_ARBITRARY:  # the transform's names and weights, too
            from stylebridge.core.transform_names import check_transform_spec

            # The table's ranges and choices already cover the rest of ArbitraryParams.check.
            check_transform_spec(checked["transform"])
    except ValueError as e:
        raise ProtocolError("bad_parameter", str(e)) from None
    if path == wire.PATH_OPTIMIZE and checked.get("init") not in wire.SAFE_INITS:
        raise ProtocolError("bad_parameter", f"parameter 'init' must be one of {wire.SAFE_INITS}")
    if path == wire.PATH_OPTIMIZE and checked.get("init") == "network" and styles:
        from stylebridge.core.network_init import check_network_styles

        try:
            check_network_styles([style.name for style in styles])
        except ValueError as e:
            raise ProtocolError("bad_parameter", str(e)) from None
    return checked
