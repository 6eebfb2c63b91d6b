"""taxonomist: dumps of paper listings → a survey draft organised by a taxonomy."""

__version__ = "0.1.0"
