"""The toolkit's version, in a module of its own so the core never imports the package ``__init__``."""

__version__ = "0.1.0"
