"""French wording of the labels package's errors, shown when a printer is set up or prints."""

FRENCH = {
    "media %(media)s needs %(dots)s dots but profile %(profile)s prints at most %(head)s dots "
    "per line": (
        "le support %(media)s demande %(dots)s points mais le modèle %(profile)s n'en imprime "
        "que %(head)s par ligne"
    ),
    "media %(media)s is laid out at %(dpi)s dpi, profile %(profile)s prints at %(pdpi)s dpi": (
        "le support %(media)s est mis en page à %(dpi)s ppp, le modèle %(profile)s imprime à "
        "%(pdpi)s ppp"
    ),
    "profile %(profile)s has no label gap sensor: it cannot print on die-cut media %(media)s "
    "(use a receipt media)": (
        "le modèle %(profile)s n'a pas de capteur d'espace entre étiquettes : il ne peut pas "
        "imprimer sur les étiquettes prédécoupées %(media)s (prenez un rouleau ticket)"
    ),
    "unknown media %(name)s; known media: %(known)s": (
        "support inconnu %(name)s ; supports connus : %(known)s"
    ),
    "unknown printer profile %(name)s; known profiles: %(known)s": (
        "modèle d'imprimante inconnu %(name)s ; modèles connus : %(known)s"
    ),
    "%(uri)s: missing host, e.g. tcp://192.168.1.50:9100": (
        "%(uri)s : il manque l'hôte, par exemple tcp://192.168.1.50:9100"
    ),
    "%(uri)s: the port must be a number 1-65535": (
        "%(uri)s : le port doit être un nombre de 1 à 65535"
    ),
    "%(uri)s: paper status (DLE EOT 4) is only read over tcp://": (
        "%(uri)s : l'état du papier (DLE EOT 4) ne se lit qu'en tcp://"
    ),
    "%(uri)s: use an absolute path, e.g. file:///dev/usb/lp0": (
        "%(uri)s : donnez un chemin absolu, par exemple file:///dev/usb/lp0"
    ),
    "%(uri)s: expected cups://QUEUE (letters, digits, _ . -)": (
        "%(uri)s : forme attendue cups://NOM_DE_FILE (lettres, chiffres, _ . -)"
    ),
    "%(uri)s: unknown scheme; use one of %(schemes)s": (
        "%(uri)s : type d'adresse inconnu ; utilisez l'un de %(schemes)s"
    ),
    "%(uri)s: expected usb://VID:PID in hex, e.g. usb://04b8:0e15": (
        "%(uri)s : forme attendue usb://VID:PID en hexadécimal, par exemple usb://04b8:0e15"
    ),
    "%(uri)s: unknown option %(option)s": "%(uri)s : option inconnue %(option)s",
    "%(uri)s: endpoints must be numbers, e.g. out_ep=0x01": (
        "%(uri)s : les points de terminaison sont des nombres, par exemple out_ep=0x01"
    ),
    "generic ESC/POS (Epson-like)": "ESC/POS générique (type Epson)",
    "Epson TM-T20II, 80 mm": "Epson TM-T20II, 80 mm",
    "Epson TM-L90 label/receipt": "Epson TM-L90 étiquettes/tickets",
    "POS-5890 / Xprinter 58 mm": "POS-5890 / Xprinter 58 mm",
    "Zjiang ZJ-5870 58 mm": "Zjiang ZJ-5870 58 mm",
    "Sunmi V2 built-in 58 mm": "Sunmi V2 intégrée 58 mm",
}
