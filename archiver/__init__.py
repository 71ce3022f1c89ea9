"""Records-retention and public-records archiver for city governments' social media."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("city-records-archiver")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

SOFTWARE = f"city-records-archiver/{__version__}"
