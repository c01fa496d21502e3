"""spfeed: Atom and RSS feeds of the ILO Social Protection Department's news."""

__version__ = "0.1.0"
