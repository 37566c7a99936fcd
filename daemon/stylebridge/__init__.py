"""stylebridge: neural style transfer served to Krita, GIMP and the command line."""

__version__ = "0.1.0"
