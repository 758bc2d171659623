"""French wording of the stock view, the donation list's filters and counts, and their CSV."""

FRENCH = {
    "Stock": "Stock",
    "Total": "Total",
    "Devices by state and type": "Appareils par état et par type",
    "%(type)s, %(state)s: %(n)s": "%(type)s, %(state)s : %(n)s",
    "%(state)s, all types: %(n)s": "%(state)s, tous types : %(n)s",
    "%(type)s, all states: %(n)s": "%(type)s, tous états : %(n)s",
    "No device yet.": "Aucun appareil pour l'instant.",
    "Available devices by grade": "Appareils disponibles par grade",
    "Grade %(grade)s": "Grade %(grade)s",
    "Not graded": "Sans grade",
    "%(type)s available, grade %(grade)s: %(n)s": "%(type)s disponible, grade %(grade)s : %(n)s",
    "%(type)s available, all grades: %(n)s": "%(type)s disponible, tous grades : %(n)s",
    "No device is available.": "Aucun appareil disponible.",
    "Devices of donation": "Appareils du don",
    "all donations": "tous les dons",
    "Received from": "Reçu à partir du",
    "Received until": "Reçu jusqu'au",
    "With devices in state": "Avec des appareils à l'état",
    "Any": "Indifférent",
    "reference, donor": "référence, donateur",
    "Clear the filters": "Effacer les filtres",
    "%(donations)s donations, %(devices)s devices.": "%(donations)s dons, %(devices)s appareils.",
    "Donations and the state of their devices": "Les dons et l'état de leurs appareils",
    "%(ref)s, %(state)s: %(n)s": "%(ref)s, %(state)s : %(n)s",
    "No donation matches.": "Aucun don ne correspond.",
    "%(ref)s, all states: %(n)s": "%(ref)s, tous états : %(n)s",
    "every page": "toutes les pages",
    "Donations with devices %(state)s (%(n)s devices)": (
        "Dons ayant des appareils à l'état %(state)s (%(n)s appareils)"
    ),
    "%(field)s: %(value)s is not a date (expected YYYY-MM-DD); filter ignored.": (
        "%(field)s : %(value)s n'est pas une date (attendu : AAAA-MM-JJ) ; filtre ignoré."
    ),
    "Donor: %(value)s is not a donor; filter ignored.": (
        "Donateur : %(value)s n'est pas un donateur ; filtre ignoré."
    ),
    "State: %(value)s is not a device state; filter ignored.": (
        "État : %(value)s n'est pas un état d'appareil ; filtre ignoré."
    ),
    "The start date is after the end date: no donation can match.": (
        "La date de début est après la date de fin : aucun don ne peut correspondre."
    ),
}
