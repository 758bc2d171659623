"""French wording of the error pages and the login prompt."""

FRENCH = {
    "Please log in to access this page.": "Connectez-vous pour accéder à cette page.",
    "The request is not valid.": "La requête n'est pas valide.",
    "Log in to see this page.": "Connectez-vous pour voir cette page.",
    "You are not allowed to see this page.": "Vous n'avez pas accès à cette page.",
    "This page does not exist, or no longer.": "Cette page n'existe pas, ou plus.",
    "This address does not take this kind of request.": (
        "Cette adresse n'accepte pas ce type de requête."
    ),
    "What was sent is too large.": "L'envoi est trop volumineux.",
    "Too many requests: wait a little before trying again.": (
        "Trop de requêtes : patientez un peu avant de réessayer."
    ),
    "The request could not be served.": "La requête n'a pas pu être servie.",
}
