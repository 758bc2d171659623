"""Maintain the French catalogue: `python scripts/fr_catalogue.py` re-extracts the messages and
writes workshop/translations/fr/LC_MESSAGES/messages.po from the FRENCH table below.

The table is the single place where French wording lives; a msgid missing from it fails the
script (and the test that runs it), so no English string reaches a French page unnoticed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "workshop/translations/messages.pot"
PO = ROOT / "workshop/translations/fr/LC_MESSAGES/messages.po"

FRENCH = {
    "Skip to content": "Aller au contenu",
    "Main menu": "Menu principal",
    "Home": "Accueil",
    "Donations": "Dons",
    "Devices": "Appareils",
    "Benches": "Établis",
    "Asset tag": "Étiquette",
    "Go": "Ouvrir",
    "Log out": "Se déconnecter",
    "Workshop overview": "Vue d'ensemble de l'atelier",
    "Devices by state": "Appareils par état",
    "Latest donations": "Derniers dons",
    "Reference": "Référence",
    "Received on": "Reçu le",
    "Place": "Lieu",
    "Error": "Erreur",
    "Back to the home page": "Retour à l'accueil",
    "Log in": "Se connecter",
    "Token of the new bench (shown only once):": "Jeton du nouvel établi (affiché une seule fois) :",
    "Name": "Nom",
    "Location": "Emplacement",
    "Agent version": "Version de l'agent",
    "Last seen": "Dernier contact",
    "never": "jamais",
    "No bench yet.": "Aucun établi pour l'instant.",
    "Register a bench": "Enregistrer un établi",
    "Register": "Enregistrer",
    "State": "État",
    "Serial number": "Numéro de série",
    "placeholder: not used to identify the device": "valeur générique : non utilisée pour identifier l'appareil",
    "Product UUID": "UUID produit",
    "Grade": "Grade",
    "Weight": "Poids",
    "typical": "poids type",
    "Donation": "Don",
    "Change state": "Changer d'état",
    "Apply": "Appliquer",
    "Timeline": "Historique",
    "bench": "établi",
    "Filters": "Filtres",
    "All": "Tous",
    "Type": "Type",
    "Search": "Recherche",
    "tag, serial, model": "étiquette, n° de série, modèle",
    "Filter": "Filtrer",
    "Model": "Modèle",
    "placeholder": "valeur générique",
    "No device matches.": "Aucun appareil ne correspond.",
    "Pages": "Pages",
    "Previous": "Précédente",
    "Page %(page)s of %(pages)s": "Page %(page)s sur %(pages)s",
    "Next": "Suivante",
    "Donor": "Donateur",
    "Notes": "Remarques",
    "Items": "Articles",
    "New donation": "Nouveau don",
    "No donation yet.": "Aucun don pour l'instant.",
    "One line per kind of device; leave the count empty for unused lines.": "Une ligne par sorte d'appareil ; laissez la quantité vide pour les lignes inutilisées.",
    "Record the donation": "Enregistrer le don",
    "Too many failed attempts. Wait a few minutes before trying again.": "Trop de tentatives échouées. Patientez quelques minutes avant de réessayer.",
    "Wrong e-mail address or password.": "Adresse e-mail ou mot de passe incorrect.",
    "You are logged out.": "Vous êtes déconnecté.",
    "Bench %(name)s registered. Copy its token now: it is shown only once.": "Établi %(name)s enregistré. Copiez son jeton maintenant : il n'est affiché qu'une fois.",
    "Unknown value %(value)s for %(field)s": "Valeur inconnue %(value)s pour %(field)s",
    "Status changed to %(status)s.": "État changé en « %(status)s ».",
    "Count": "Quantité",
    "Serial numbers (one per line, optional)": "Numéros de série (un par ligne, facultatif)",
    "Model (optional)": "Modèle (facultatif)",
    "A serial number has at most 100 characters.": "Un numéro de série compte au plus 100 caractères.",
    "More serial numbers than devices.": "Plus de numéros de série que d'appareils.",
    "Place of collection": "Lieu de collecte",
    "Donation %(ref)s recorded.": "Don %(ref)s enregistré.",
    "received": "reçu",
    "inventoried": "inventorié",
    "tested": "testé",
    "wiped": "effacé",
    "wipe failed": "effacement échoué",
    "graded": "classé",
    "refurbished": "reconditionné",
    "available": "disponible",
    "reserved": "réservé",
    "handed over": "remis",
    "parts": "pièces détachées",
    "recycled": "recyclé",
    "laptop": "portable",
    "desktop": "ordinateur fixe",
    "all-in-one": "tout-en-un",
    "server": "serveur",
    "tablet": "tablette",
    "smartphone": "smartphone",
    "screen": "écran",
    "printer": "imprimante",
    "disk": "disque",
    "peripheral": "périphérique",
    "other": "autre",
    "coordinator": "coordination",
    "technician": "technicien·ne",
    "donor contact": "contact donateur",
    "association member": "membre d'association",
    "Received": "Réception",
    "Status changed": "Changement d'état",
    "Donation received": "Don reçu",
    "E-mail address": "Adresse e-mail",
    "Password": "Mot de passe",
    "New state": "Nouvel état",
    "Reason (optional)": "Motif (facultatif)",
    "The form expired or was not sent from this site: reload the page and retry.": "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et réessayez.",
    "You are not allowed to do this.": "Vous n'avez pas le droit de faire cela.",
    "An asset tag has %(n)s symbols; %(text)s has %(got)s.": "Une étiquette compte %(n)s caractères ; %(text)s en a %(got)s.",
    "%(text)s contains a symbol that is not used in asset tags.": "%(text)s contient un caractère qui n'existe pas dans les étiquettes.",
    "%(text)s has a wrong check symbol: mistyped?": "%(text)s a un caractère de contrôle faux : faute de frappe ?",
    "No device %(tag)s.": "Aucun appareil %(tag)s.",
    "%(value)s is not a device status.": "%(value)s n'est pas un état d'appareil.",
    "A bench cannot set a device to %(status)s.": "Un établi ne peut pas mettre un appareil à l'état « %(status)s ».",
    "Device %(tag)s is %(current)s: it cannot become %(target)s (allowed: %(allowed)s).": "L'appareil %(tag)s est « %(current)s » : il ne peut pas passer à « %(target)s » (possible : %(allowed)s).",
    "none": "aucun",
    "— choose —": "— choisir —",
    "This device carries data: it must be wiped before it is graded.": "Cet appareil contient des données : il doit être effacé avant d'être classé.",
    "No organisation with id %(id)s.": "Aucune organisation n° %(id)s.",
    "%(name)s is not a donor collectivité.": "%(name)s n'est pas une collectivité donatrice.",
    "A donation needs at least one item.": "Un don doit comporter au moins un article.",
    "The count must be between 1 and %(max)s.": "La quantité doit être comprise entre 1 et %(max)s.",
    "%(serials)s serial numbers given for %(count)s devices.": "%(serials)s numéros de série donnés pour %(count)s appareils.",
    "No donation with id %(id)s.": "Aucun don n° %(id)s.",
    "Only the workshop and donors see donations.": "Seuls l'atelier et les donateurs voient les dons.",
    "An organisation named %(name)s already exists.": "Une organisation nommée %(name)s existe déjà.",
    "A bench named %(name)s already exists.": "Un établi nommé %(name)s existe déjà.",
    "A bench token acts only as its own bench.": "Un jeton d'établi n'agit que pour son propre établi.",
    "No bench with id %(id)s.": "Aucun établi n° %(id)s.",
    "Only a bench sends heartbeats.": "Seul un établi envoie des signaux de vie.",
    "This idempotency key was already used for a different record.": "Cette clé d'idempotence a déjà servi pour un autre enregistrement.",
    "Only a bench sends records.": "Seul un établi envoie des enregistrements.",
    "Unknown record kind %(kind)s.": "Type d'enregistrement inconnu : %(kind)s.",
    "This enrollment code is unknown, already used or expired.": "Ce code d'enrôlement est inconnu, déjà utilisé ou expiré.",
    "No snapshot waiting for binding with id %(id)s.": "Aucun inventaire en attente d'association n° %(id)s.",
    "Only a bench reports its disks.": "Seul un établi signale ses disques.",
    "processor": "processeur",
    "memory": "mémoire",
    "battery": "batterie",
    "graphics": "carte graphique",
    "network": "réseau",
    "Inventory": "Inventaire",
    "Component added": "Composant ajouté",
    "Component removed": "Composant retiré",
    "Bench": "Établi",
    "Disks seen now": "Disques visibles maintenant",
    "Device": "Périphérique",
    "Size": "Taille",
    "Connection": "Connexion",
    "No disk reported.": "Aucun disque signalé.",
    "Inventories waiting for an asset tag": "Inventaires en attente d'une étiquette",
    "serial": "n° de série",
    "disk(s)": "disque(s)",
    "possible devices:": "appareils possibles :",
    "Attach": "Associer",
    "None: every inventory found its device.": "Aucun : chaque inventaire a trouvé son appareil.",
    "Enrollment code, valid 24 hours, usable once. On the bench, run:": "Code d'enrôlement, valable 24 heures, utilisable une fois. Sur l'établi, lancez :",
    "Disks seen": "Disques vus",
    "Enroll a bench": "Enrôler un établi",
    "Create an enrollment code": "Créer un code d'enrôlement",
    "Register a bench by hand": "Enregistrer un établi à la main",
    "Components": "Composants",
    "Kind": "Sorte",
    "Capacity": "Capacité",
    "Details": "Détails",
    "wear": "usure",
    "cores/threads": "cœurs/threads",
    "Name of the new bench (optional)": "Nom du nouvel établi (facultatif)",
    "Inventory attached to %(tag)s.": "Inventaire associé à %(tag)s.",
}


def untranslated() -> list[str]:
    """Extract the messages; return those missing from FRENCH."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(POT),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    with POT.open("rb") as handle:
        template = read_po(handle)
    return [str(m.id) for m in template if m.id and m.id not in FRENCH]


def main() -> int:
    """Extract, then write the French catalogue; exit 1 naming untranslated messages."""
    missing = untranslated()
    if missing:
        print("untranslated:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    catalog = Catalog(locale="fr", project="Atelier", fuzzy=False)
    for msgid, text in FRENCH.items():
        catalog.add(msgid, text)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
