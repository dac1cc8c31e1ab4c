"""azresp: a terminal client for the Azure OpenAI Responses API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("azresp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
