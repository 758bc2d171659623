"""`atelier-label` command line (filled by the labels work)."""


def main() -> int:
    """Entry point placeholder."""
    return 2
