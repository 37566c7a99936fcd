"""Editor-side helpers shared by the Krita and GIMP plugins (stdlib only, Python 3.8+)."""
