"""File and request sizes as people read them."""


def human_size(size: int) -> str:
    """``20.0 MB``, ``12 KB``, ``300 字节``."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"
