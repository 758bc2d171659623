"""French wording of label printing (printers, the print queue, label preview)."""

FRENCH = {
    "queued": "en attente",
    "printed": "imprimée",
    "failed": "échec",
    "cancelled": "annulée",
    "Only a bench reports print results.": "Seul un établi signale le résultat d'une impression.",
    "A file printer must be a printer device (/dev/usb/lp0, /dev/lp0, a serial port) or a "
    "file inside the printer folder (WORKSHOP_PRINTER_FILE_DIR: %(folder)s).": (
        "Une imprimante fichier doit être un périphérique d'imprimante (/dev/usb/lp0, /dev/lp0, un "
        "port série) ou un fichier du dossier des imprimantes (WORKSHOP_PRINTER_FILE_DIR : "
        "%(folder)s)."
    ),
    "none configured": "aucun configuré",
    "This printer cannot be used:": "Cette imprimante ne peut pas servir :",
    "The QR mode is native or image.": "Le mode du QR code est « native » ou « image ».",
    "A printer named %(name)s already exists.": "Une imprimante nommée %(name)s existe déjà.",
    "No printer with id %(id)s.": "Aucune imprimante n° %(id)s.",
    "A bench prints only on its own printers.": "Un établi n'imprime que sur ses propres imprimantes.",
    "No label job with id %(id)s.": "Aucune impression n° %(id)s.",
    "Only a bench fetches its label jobs.": "Seul un établi récupère ses impressions.",
    "This label job was cancelled.": "Cette impression a été annulée.",
    "Only a failed label job can be retried.": "Seule une impression échouée peut être relancée.",
    "This label was already printed.": "Cette étiquette est déjà imprimée.",
    "Printers": "Imprimantes",
    "Label": "Étiquette",
    "Preview of the label of %(tag)s": "Aperçu de l'étiquette de %(tag)s",
    "Printer": "Imprimante",
    "Print the label": "Imprimer l'étiquette",
    "No printer configured.": "Aucune imprimante configurée.",
    "Label printers": "Imprimantes d'étiquettes",
    "Address": "Adresse",
    "Paper": "Papier",
    "Attached to": "Reliée à",
    "the server (network printer)": "le serveur (imprimante réseau)",
    "No printer yet.": "Aucune imprimante pour l'instant.",
    "Latest label jobs": "Dernières impressions",
    "Attempts": "Tentatives",
    "Retry": "Relancer",
    "Cancel": "Annuler",
    "No label printed yet.": "Aucune étiquette imprimée pour l'instant.",
    "Add a printer": "Ajouter une imprimante",
    "Add": "Ajouter",
    "Address (tcp://, usb://, file://, cups://)": "Adresse (tcp://, usb://, file://, cups://)",
    "QR code": "QR code",
    "automatic": "automatique",
    "native": "natif",
    "image": "image",
    "Printer added.": "Imprimante ajoutée.",
    "Choose a printer.": "Choisissez une imprimante.",
    "The label could not be printed: %(error)s": "L'étiquette n'a pas pu être imprimée : %(error)s",
    "Label sent to %(printer)s.": "Étiquette envoyée à %(printer)s.",
    "job_id must be an integer.": "job_id doit être un entier.",
    "printed must be true or false.": "printed doit valoir true ou false.",
    "%(failed)s of %(count)s labels could not be printed: %(error)s": (
        "%(failed)s étiquettes sur %(count)s n'ont pas pu être imprimées : %(error)s"
    ),
    "%(count)s labels sent to %(printer)s.": "%(count)s étiquettes envoyées à %(printer)s.",
    "Print the %(count)s labels": "Imprimer les %(count)s étiquettes",
    # A4 label sheets (workshop/services/label_sheet.py)
    "Label sheet (A4)": "Planche d'étiquettes (A4)",
    "First free label": "Première étiquette libre",
    "Labels on A4 (PDF)": "Étiquettes sur A4 (PDF)",
    "Unknown label sheet %(code)s (known: %(known)s).": (
        "Planche d'étiquettes %(code)s inconnue (connues : %(known)s)."
    ),
    "The first label must be a number from 1 to %(count)s.": (
        "La première étiquette doit être un nombre de 1 à %(count)s."
    ),
    "No device to label.": "Aucun appareil à étiqueter.",
    "At most %(count)s labels per sheet file.": "Au plus %(count)s étiquettes par fichier.",
    "Device labels": "Étiquettes des appareils",
}
