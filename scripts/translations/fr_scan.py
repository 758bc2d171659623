"""French wording of camera scanning of labels (the header's Scan button and its dialog)."""

FRENCH = {
    "Scan": "Scanner",
    "Scan a label with the camera": "Scanner une étiquette avec la caméra",
    "Scan a label": "Scanner une étiquette",
    "Point the camera at the label's QR code.": "Visez le QR code de l'étiquette avec la caméra.",
    "Camera view": "Image de la caméra",
    "Opening the camera…": "Ouverture de la caméra…",
    "Looking for a label…": "Recherche d'une étiquette…",
    "Label %(tag)s read: opening its page…": "Étiquette %(tag)s lue : ouverture de sa page…",
    "This code is not an Atelier label: %(value)s": "Ce code n'est pas une étiquette Atelier : %(value)s",
    "The camera was refused. Allow it for this site in the browser settings, or type the tag.": "L'accès à la caméra a été refusé. Autorisez-le pour ce site dans les réglages du navigateur, ou tapez l'étiquette.",
    "No camera found on this device. Type the tag instead.": "Aucune caméra trouvée sur cet appareil. Tapez l'étiquette à la place.",
    "The camera could not be opened (another app may be using it). Type the tag instead.": "La caméra n'a pas pu être ouverte (une autre application l'utilise peut-être). Tapez l'étiquette à la place.",
}
