"""French names of the wipe techniques (pages, and the certificates through the catalogue)."""

FRENCH = {
    "overwrite with zeros": "écrasement par des zéros",
    "overwrite with a random stream (AES-256-CTR)": (
        "écrasement par un flux aléatoire (AES-256-CTR)"
    ),
    "ATA SANITIZE, cryptographic scramble": "ATA SANITIZE, effacement cryptographique",
    "ATA SANITIZE, block erase": "ATA SANITIZE, effacement des blocs",
    "ATA SANITIZE, overwrite": "ATA SANITIZE, écrasement",
    "ATA SECURITY ERASE UNIT, normal mode": "ATA SECURITY ERASE UNIT, mode normal",
    "ATA SECURITY ERASE UNIT, enhanced mode": "ATA SECURITY ERASE UNIT, mode renforcé",
    "NVMe Sanitize, cryptographic erase": "NVMe Sanitize, effacement cryptographique",
    "NVMe Sanitize, block erase": "NVMe Sanitize, effacement des blocs",
    "NVMe Sanitize, overwrite": "NVMe Sanitize, écrasement",
    "NVMe Format, cryptographic erase": "NVMe Format, effacement cryptographique",
    "NVMe Format, user data erase": "NVMe Format, effacement des données utilisateur",
    "%(first)s, then %(then)s": "%(first)s, puis %(then)s",
    "automatic method": "méthode automatique",
    "random stream": "flux aléatoire",
    "Purge": "Purge",
    "full verification": "vérification complète",
}
