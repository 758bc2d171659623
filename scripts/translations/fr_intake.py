"""French wording of the intake checks (dates and serial numbers of a new donation)."""

FRENCH = {
    "The reception date must be between 1 January 2000 and today.": (
        "La date de réception doit être comprise entre le 1er janvier 2000 et aujourd'hui."
    ),
    "The serial number %(serial)s is given twice.": (
        "Le numéro de série %(serial)s est donné deux fois."
    ),
    "The serial number %(serial)s is already the one of device %(tag)s: if that device came "
    "back, find it by its label.": (
        "Le numéro de série %(serial)s est déjà celui de l'appareil %(tag)s : si cet appareil "
        "est revenu, retrouvez-le par son étiquette."
    ),
}
