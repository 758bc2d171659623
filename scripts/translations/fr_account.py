"""French wording of the account page (a new password, sessions that end)."""

FRENCH = {
    "My account": "Mon compte",
    "Role": "Rôle",
    "Change my password": "Changer mon mot de passe",
    "Current password": "Mot de passe actuel",
    "New password": "Nouveau mot de passe",
    "New password, again": "Nouveau mot de passe, à nouveau",
    "At least %(n)s characters. Every other session of your account ends.": (
        "Au moins %(n)s caractères. Toutes les autres sessions de votre compte prennent fin."
    ),
    "The two passwords differ.": "Les deux mots de passe diffèrent.",
    "This is not your current password.": "Ce n'est pas votre mot de passe actuel.",
    "Password changed. Your other sessions have ended.": (
        "Mot de passe changé. Vos autres sessions ont pris fin."
    ),
    "Logging out ends your sessions on every browser and device.": (
        "Se déconnecter met fin à vos sessions sur tous les navigateurs et appareils."
    ),
    "The password needs at least %(n)s characters.": (
        "Le mot de passe doit compter au moins %(n)s caractères."
    ),
}
