"""French wording of the catalogue and reservations (issue #7)."""

FRENCH = {
    "You can only reserve for your own association.": (
        "Vous ne pouvez réserver que pour votre association."
    ),
    "Choose the association the devices are for.": (
        "Choisissez l'association à laquelle les appareils sont destinés."
    ),
    "No association with this id.": "Aucune association avec cet identifiant.",
    "Choose at least one device.": "Cochez au moins un appareil.",
    "At most %(n)s devices per reservation.": "Au plus %(n)s appareils par réservation.",
    "Device %(tag)s is already reserved or no longer available.": (
        "L'appareil %(tag)s est déjà réservé ou n'est plus disponible."
    ),
    "Reservation %(ref)s is %(status)s: this is no longer possible.": (
        "La réservation %(ref)s est à l'état « %(status)s » : ce n'est plus possible."
    ),
    "awaiting confirmation": "en attente de confirmation",
    "confirmed": "confirmée",
    "refused": "refusée",
    "expired": "expirée",
    "collected": "remise à l'association",
    "No reservation %(id)s.": "Aucune réservation %(id)s.",
    "Say why the reservation is refused.": "Indiquez pourquoi la réservation est refusée.",
    "The devices have not been handed over yet.": "Les appareils n'ont pas encore été remis.",
    "Catalogue": "Catalogue",
    "Reservations": "Réservations",
    "Catalogue of available devices": "Catalogue des appareils disponibles",
    "RAM at least (GB)": "Mémoire vive minimale (Go)",
    "Storage at least (GB)": "Stockage minimal (Go)",
    "Storage kind": "Type de stockage",
    "Processor": "Processeur",
    "Battery wear at most (percent)": "Usure de batterie maximale (en pourcentage)",
    "Memory": "Mémoire vive",
    "Storage": "Stockage",
    "Battery wear": "Usure de la batterie",
    "Reserve the ticked devices": "Réserver les appareils cochés",
    "Reserve": "Réserver",
    "Reservation": "Réservation",
    "Association": "Association",
    "Requested on": "Demandée le",
    "Held until": "Réservé jusqu'au",
    "Note": "Remarque",
    "Workshop comment": "Commentaire de l'atelier",
    "Handed over on": "Remis le",
    "Download the handover receipt (PDF)": "Télécharger le bon de remise (PDF)",
    "Actions": "Actions",
    "Confirm": "Confirmer",
    "Refuse (give the reason)": "Refuser (indiquer le motif)",
    "Record the handover": "Enregistrer la remise",
    "Cancel the reservation": "Annuler la réservation",
    "Browse the catalogue": "Parcourir le catalogue",
    "No reservation yet.": "Aucune réservation pour l'instant.",
    "For the association": "Pour l'association",
    "Note for the workshop (optional)": "Remarque pour l'atelier (facultatif)",
    "Reservation %(ref)s recorded: the devices are held until %(date)s.": (
        "Réservation %(ref)s enregistrée : les appareils vous sont réservés jusqu'au %(date)s."
    ),
    "Comment or reason": "Commentaire ou motif",
    "Reservation %(ref)s: %(status)s.": "Réservation %(ref)s : %(status)s.",
    "Ask for 1 to 100 devices.": "Demandez de 1 à 100 appareils.",
    "No need %(id)s.": "Aucun besoin %(id)s.",
    "offered for your need": "proposée pour votre besoin",
    "declined": "déclinée",
    "Accept the offer": "Accepter la proposition",
    "Decline the offer": "Décliner la proposition",
    "Needs": "Besoins",
    "Messages": "Messages",
    "When matching devices become available they are offered to the oldest open need first; "
    "the offer appears under Reservations.": (
        "Quand des appareils correspondants deviennent disponibles, ils sont proposés d'abord au "
        "besoin ouvert le plus ancien ; la proposition apparaît dans Réservations."
    ),
    "How many": "Combien",
    "Requirements": "Exigences",
    "Posted on": "Publié le",
    "open": "ouvert",
    "closed": "clos",
    "Close": "Clore",
    "No need posted.": "Aucun besoin publié.",
    "Post a need": "Publier un besoin",
    "Post the need": "Publier le besoin",
    "SSD only": "SSD uniquement",
    "Need recorded; no device to offer right now.": (
        "Besoin enregistré ; aucun appareil à proposer pour l'instant."
    ),
    "Need recorded; one offer made right away.": (
        "Besoin enregistré ; une proposition faite aussitôt."
    ),
    "Need recorded; %(n)s offers made right away.": (
        "Besoin enregistré ; %(n)s propositions faites aussitôt."
    ),
    "Need closed.": "Besoin clos.",
    "%(filter)s: %(value)s is not a number between %(low)s and %(high)s; this filter was not "
    "applied.": (
        "%(filter)s : %(value)s n'est pas un nombre entre %(low)s et %(high)s ; ce filtre n'a "
        "pas été appliqué."
    ),
    "%(filter)s: %(value)s is not one of the choices; this filter was not applied.": (
        "%(filter)s : %(value)s ne fait pas partie des choix ; ce filtre n'a pas été appliqué."
    ),
}
