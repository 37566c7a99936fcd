"""Stylebridge for Krita: Filter > Neural Style Transfer… and Filter > Apply Neural Style Again.

pykrita imports this package at start-up; registering the extension here is Krita's plugin
convention. The client comes from the `vendor/` folder the installer assembled next to this file."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import os
import sys

VENDOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor")
INSTALL_HINT = "Run `stylebridge install --krita` to copy them into this plugin's vendor folder."


def missing_modules() -> list:
    """'name: error' for each of pyzmq and msgpack that Krita's Python cannot import."""
    missing = []
    for name in ("zmq", "msgpack"):
        try:
            __import__(name)
        except ImportError as e:
            missing.append(f"{name}: {e}")
    return missing


def _register() -> None:
    from krita import Krita

    if VENDOR_DIR not in sys.path:
        sys.path.insert(0, VENDOR_DIR)
    app = Krita.instance()
    missing = missing_modules()
    if missing:
        from .unavailable import UnavailableExtension

        message = (
            f"Stylebridge cannot run: Krita's Python ({sys.version.split()[0]}) cannot import "
            + "; ".join(missing)
            + ". "
            + INSTALL_HINT
        )
        app.addExtension(UnavailableExtension(app, message))
        return
    from .docker import register_docker
    from .extension import StyleTransferExtension

    app.addExtension(StyleTransferExtension(app))
    register_docker(app)


_register()
