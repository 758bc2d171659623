"""French wording of the administration pages: organisations, accounts, the workshop's identity."""

FRENCH = {
    # The menu
    "Administration": "Administration",
    "Organisations": "Organisations",
    "Donor collectivités and associations: SIREN, address, contact, RUP/RIG status.": (
        "Collectivités donatrices et associations : SIREN, adresse, contact, statut RUP/RIG."
    ),
    "Users and roles": "Utilisateurs et rôles",
    "Accounts, their role, closing an account.": "Les comptes, leur rôle, la clôture d'un compte.",
    "The workshop": "L'atelier",
    "Name, SIRET, address and logo printed on every document.": (
        "Nom, SIRET, adresse et logo imprimés sur chaque document."
    ),
    "Enrolment codes and site secrets, revoking a bench.": (
        "Codes d'enrôlement et secrets de site, révocation d'un établi."
    ),
    "Label printers and their jobs.": "Les imprimantes d'étiquettes et leurs impressions.",
    # Organisations
    "Donors (collectivités)": "Donateurs (collectivités)",
    "Associations": "Associations",
    "New donor": "Nouveau donateur",
    "New association": "Nouvelle association",
    "neither": "ni l'un ni l'autre",
    "recognised as being of public utility (RUP)": "reconnue d'utilité publique (RUP)",
    "of general interest (RIG)": "d'intérêt général (RIG)",
    "SIREN": "SIREN",
    "SIRET": "SIRET",
    "RNA number": "Numéro RNA",
    "Public-interest status": "Statut d'intérêt public",
    "9 digits, checked by their key (e.g. 212 200 935).": (
        "9 chiffres, contrôlés par leur clé (p. ex. 212 200 935)."
    ),
    "W followed by 9 characters (e.g. W223001234).": "W suivi de 9 caractères (p. ex. W223001234).",
    "Only RUP and RIG associations may resell donated devices, at capped prices.": (
        "Seules les associations RUP et RIG peuvent revendre les matériels donnés, à prix plafonnés."
    ),
    "Its name may appear on public device pages": (
        "Son nom peut figurer sur les pages publiques des appareils"
    ),
    "Identity": "Identité",
    "Address and contact": "Adresse et contact",
    "Postal code": "Code postal",
    "City": "Commune",
    "Contact": "Contact",
    "Phone": "Téléphone",
    "Save": "Enregistrer",
    "None registered yet.": "Aucune pour l'instant.",
    "No such kind of organisation.": "Ce type d'organisation n'existe pas.",
    "%(name)s registered.": "%(name)s enregistrée.",
    "%(name)s saved.": "%(name)s enregistrée.",
    "No donor is registered yet.": "Aucun donateur n'est encore enregistré.",
    "Register a new donor": "Enregistrer un nouveau donateur",
    # Checks of the organisation service
    "%(field)s: at most %(n)s characters.": "%(field)s : %(n)s caractères au plus.",
    "Name: give the organisation's name.": "Nom : indiquez le nom de l'organisation.",
    "Postal code: %(value)s is not 5 digits.": "Code postal : %(value)s ne compte pas 5 chiffres.",
    "E-mail address: %(value)s is not an e-mail address.": (
        "Adresse e-mail : %(value)s n'est pas une adresse e-mail."
    ),
    "Phone: %(value)s is not a phone number.": (
        "Téléphone : %(value)s n'est pas un numéro de téléphone."
    ),
    "RNA number: only an association has one.": "Numéro RNA : seule une association en a un.",
    "Public-interest status: only an association has one.": (
        "Statut d'intérêt public : seule une association en a un."
    ),
    "SIRET: it does not start with the SIREN %(siren)s.": (
        "SIRET : il ne commence pas par le SIREN %(siren)s."
    ),
    "SIREN: %(value)s is not 9 digits.": "SIREN : %(value)s ne compte pas 9 chiffres.",
    "SIREN: %(value)s has a wrong check digit (Luhn key).": (
        "SIREN : la clé de contrôle de %(value)s est fausse (clé de Luhn)."
    ),
    "SIRET: %(value)s is not 14 digits.": "SIRET : %(value)s ne compte pas 14 chiffres.",
    "SIRET: %(value)s has a wrong check digit (Luhn key).": (
        "SIRET : la clé de contrôle de %(value)s est fausse (clé de Luhn)."
    ),
    "RNA number: %(value)s is not W followed by 9 characters (e.g. W223001234).": (
        "Numéro RNA : %(value)s n'est pas un W suivi de 9 caractères (p. ex. W223001234)."
    ),
    # Accounts
    "the workshop": "l'atelier",
    "a collectivité": "une collectivité",
    "Name: 1 to 200 characters.": "Nom : de 1 à 200 caractères.",
    "An account already exists for %(email)s.": "Un compte existe déjà pour %(email)s.",
    "Organisation: the role %(role)s belongs to %(kind)s, not to %(name)s.": (
        "Organisation : le rôle %(role)s revient à %(kind)s, pas à %(name)s."
    ),
    "No account with id %(id)s.": "Aucun compte n° %(id)s.",
    "You cannot change your own role: ask another coordinator.": (
        "Vous ne pouvez pas changer votre propre rôle : demandez-le à une autre personne de la "
        "coordination."
    ),
    "You cannot close your own account.": "Vous ne pouvez pas clore votre propre compte.",
    "Organisation": "Organisation",
    "Account": "Compte",
    "Change the role": "Changer le rôle",
    "The account's sessions end: it logs in again with its new rights.": (
        "Les sessions du compte prennent fin : il se reconnecte avec ses nouveaux droits."
    ),
    "Close the account": "Clore le compte",
    "No more login nor API token; its sessions end everywhere. What the person did stays in "
    "the history under their pseudonym.": (
        "Plus de connexion ni de jeton d'API ; ses sessions prennent fin partout. Ce que la "
        "personne a fait reste dans l'historique sous son pseudonyme."
    ),
    "Its password, shown only now: hand it over, the person changes it on My account.": (
        "Son mot de passe, affiché cette fois seulement : transmettez-le, la personne le change "
        "sur Mon compte."
    ),
    "Open an account": "Ouvrir un compte",
    "Open the account": "Ouvrir le compte",
    "Coordinators and technicians belong to the workshop, donor contacts to a collectivité, "
    "association members to an association.": (
        "La coordination et les technicien·nes relèvent de l'atelier, les contacts donateurs "
        "d'une collectivité, les membres d'association d'une association."
    ),
    "Initial password (optional)": "Mot de passe initial (facultatif)",
    "At least %(n)s characters. Left empty, a password is made up and shown once, to hand "
    "over; the person changes it on My account.": (
        "Au moins %(n)s caractères. Laissé vide, un mot de passe est tiré au hasard et affiché "
        "une fois, pour le transmettre ; la personne le change sur Mon compte."
    ),
    "Account opened for %(email)s.": "Compte ouvert pour %(email)s.",
    "%(name)s now has the role %(role)s.": "%(name)s a désormais le rôle %(role)s.",
    "The account %(email)s is closed.": "Le compte %(email)s est clos.",
    # The workshop's identity and logo
    "Every document and receipt names the workshop as written here.": (
        "Chaque document et chaque bon nomment l'atelier comme écrit ici."
    ),
    "As documents and receipts name the workshop.": (
        "Tel que les documents et les bons nomment l'atelier."
    ),
    "14 digits, checked by their key; the first 9 are the SIREN.": (
        "14 chiffres, contrôlés par leur clé ; les 9 premiers sont le SIREN."
    ),
    "Logo": "Logo",
    "The logo of the workshop": "Le logo de l'atelier",
    "Remove the logo": "Retirer le logo",
    "No logo yet: documents carry only the name.": (
        "Pas encore de logo : les documents portent seulement le nom."
    ),
    "Send the logo": "Envoyer le logo",
    "PNG or JPEG, at most %(n)s KiB.": "PNG ou JPEG, %(n)s Kio au plus.",
    "The workshop's identity is saved.": "L'identité de l'atelier est enregistrée.",
    "Logo: choose a PNG or JPEG file.": "Logo : choisissez un fichier PNG ou JPEG.",
    "Logo saved: it is printed on the next documents.": (
        "Logo enregistré : il est imprimé sur les prochains documents."
    ),
    "Logo removed.": "Logo retiré.",
    "Logo: the file is larger than %(n)s KiB.": "Logo : le fichier dépasse %(n)s Kio.",
    "Logo: only a PNG or JPEG image is accepted.": "Logo : seule une image PNG ou JPEG est acceptée.",
    "Logo: at most %(n)s pixels a side.": "Logo : %(n)s pixels de côté au plus.",
    "Logo: the image cannot be read (damaged or not a real PNG/JPEG).": (
        "Logo : l'image est illisible (abîmée, ou pas un vrai PNG/JPEG)."
    ),
    "Logo: save the workshop's name first.": "Logo : enregistrez d'abord le nom de l'atelier.",
    # Benches and enrolment
    "Benches and enrolment": "Établis et enrôlement",
    "Bench board and enrolment codes": "Tableau des établis et codes d'enrôlement",
    "Site": "Site",
    "Agent": "Agent",
    "active": "actif",
    "Revoke %(name)s": "Révoquer %(name)s",
    "Site secrets of the bench image": "Secrets de site de l'image des établis",
    "A PC booted from the bench image enrols itself with its site’s secret, as a bench of "
    "that site.": (
        "Un PC démarré sur l'image des établis s'enrôle avec le secret de son site, comme "
        "établi de ce site."
    ),
    "Created on": "Créé le",
    "Revoke the secret of %(site)s": "Révoquer le secret de %(site)s",
    "No site secret yet.": "Aucun secret de site pour l'instant.",
    "Create a site secret": "Créer un secret de site",
    "A new secret replaces the site's old one: rebuild its bench image.": (
        "Un nouveau secret remplace l'ancien du site : reconstruisez son image des établis."
    ),
    "Secret of %(site)s created: copy it now, it is shown only once.": (
        "Secret de %(site)s créé : copiez-le maintenant, il n'est affiché qu'une fois."
    ),
    "Bench %(name)s revoked: its token no longer works.": (
        "Établi %(name)s révoqué : son jeton ne fonctionne plus."
    ),
    "Secret of %(site)s revoked.": "Secret de %(site)s révoqué.",
}
