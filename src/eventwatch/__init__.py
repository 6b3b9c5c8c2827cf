"""eventwatch: news reports of political violence -> event data."""
__version__ = "0.1.0"
