"""azresp: a terminal client for the Azure OpenAI Responses API."""


def __getattr__(name: str) -> str:
    # Looked up on first use: importing importlib.metadata costs more than the rest of
    # `azresp --help` does on top of Typer (bench/startup.py measures it).
    if name != "__version__":
        raise AttributeError(f"module 'azresp_cli' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("azresp")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
