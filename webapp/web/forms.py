"""What every form shares."""


def strip(value):
    """A field filter: the text without the spaces around it (other values as they are)."""
    return value.strip() if isinstance(value, str) else value
