class UserError(Exception):
    """A mistake in what the user gave us (bad input, missing file). The message is shown as is; exit 2."""
