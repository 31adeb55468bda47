"""The one exception the engine raises for bad input; its message is Chinese and user-facing."""


class InputError(Exception):
    """Input that cannot be read as a report. `str(err)` is a one-line Chinese message."""
