"""Runs inside Krita (krita-run.sh --gui): triggers both plugin actions in batch mode when the
plugin could not import pyzmq; prints the message the plugin gives; exits 0 if it gave one."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import sys

from krita import Krita


def main():
    app = Krita.instance()
    app.setBatchmode(True)
    doc = app.createDocument(16, 16, "unavailable", "RGBA", "U8", "", 72.0)
    app.activeWindow().addView(doc)
    found = [e for e in app.extensions() if type(e).__name__ == "UnavailableExtension"]
    if not found:
        return "the plugin did not register its stand-in extension"
    for action_id in ("stylebridge_style_transfer", "stylebridge_apply_again"):
        app.action(action_id).trigger()
    print("MESSAGE:", found[0].last_error)
    doc.setModified(False)
    return 0 if found[0].last_error else 3


if __name__ == "__main__":
    sys.exit(main())
