"""French wording of documents and traceability: signing, verification, wipe records, public
device page, donor portal."""

FRENCH = {
    # signing and verification
    "A signing key exists already: rotate it instead.": (
        "Une clé de signature existe déjà : faites-en une rotation."
    ),
    "The private key %(key)s is missing.": "La clé privée %(key)s est introuvable.",
    "The document carries no complete signature block.": (
        "Le document ne porte pas de bloc de signature complet."
    ),
    "Key %(key)s is not one of the workshop's published keys.": (
        "La clé %(key)s ne fait pas partie des clés publiées par l'atelier."
    ),
    "The signature does not match the content: it was altered.": (
        "La signature ne correspond pas au contenu : il a été modifié."
    ),
    "The signed content is not in canonical form.": (
        "Le contenu signé n'est pas sous forme canonique."
    ),
    "Signature valid.": "Signature valide.",
    "No document %(uid)s.": "Aucun document %(uid)s.",
    "No document %(id)s.": "Aucun document %(id)s.",
    "Say why the document is revoked.": "Indiquez pourquoi le document est révoqué.",
    "This file carries no Atelier signature.": "Ce fichier ne porte aucune signature de l'atelier.",
    "The signature is valid but the workshop never issued it.": (
        "La signature est valide mais l'atelier n'a jamais émis ce document."
    ),
    "Revoked: %(reason)s": "Révoqué : %(reason)s",
    "No document %(uid)s was issued.": "Aucun document %(uid)s n'a été émis.",
    "Document %(uid)s revoked.": "Document %(uid)s révoqué.",
    "Verify a document": "Vérifier un document",
    "Valid document": "Document valide",
    "Revoked document": "Document révoqué",
    "Invalid document": "Document invalide",
    "Issued by": "Émis par",
    "Issued on": "Émis le",
    "Signing key": "Clé de signature",
    "Drives erased": "Disques effacés",
    "Signed content": "Contenu signé",
    "Check a PDF": "Vérifier un PDF",
    "Documents from the workshop carry an electronic signature. Upload one to check that it "
    "was issued by the workshop and not altered since.": (
        "Les documents de l'atelier portent une signature électronique. Déposez-en un pour "
        "vérifier qu'il a bien été émis par l'atelier et n'a pas été modifié depuis."
    ),
    "Verify": "Vérifier",
    "The workshop's public keys": "Les clés publiques de l'atelier",
    "Signed PDF document": "Document PDF signé",
    # documents of a donation
    "Documents": "Documents",
    "Document": "Document",
    "Revoke": "Révoquer",
    "Reason for revocation": "Motif de révocation",
    "revoked": "révoqué",
    "valid": "valide",
    "Certificate of collection": "Attestation de prise en charge",
    "Data erasure certificate": "Certificat d'effacement",
    "Destination report": "Rapport de devenir",
    "Impact summary": "Bilan d'impact",
    # wipe records
    "No wipe record %(id)s.": "Aucun enregistrement d'effacement %(id)s.",
    "This wipe record was already validated.": "Cet effacement a déjà été validé.",
    "Name who witnessed the destruction.": "Indiquez qui a été témoin de la destruction.",
    "This drive was erased: there is no destruction to record.": (
        "Ce disque a été effacé : il n'y a pas de destruction à enregistrer."
    ),
    "The destruction of this drive is already recorded.": (
        "La destruction de ce disque est déjà enregistrée."
    ),
    "Wipe records": "Effacements",
    "Drive": "Disque",
    "Method": "Méthode",
    "Tool": "Outil",
    "Verification": "Vérification",
    "Started": "Début",
    "Result": "Résultat",
    "Validated": "Validé",
    "destroyed, witnessed by %(who)s": "détruit, témoin : %(who)s",
    "Validate": "Valider",
    "Destroyed; witness": "Détruit ; témoin",
    "Record destruction": "Enregistrer la destruction",
    "Witness": "Témoin",
    "Wipe record validated.": "Effacement validé.",
    "Destruction recorded.": "Destruction enregistrée.",
    "erased": "effacé",
    "interrupted": "interrompu",
    # donor portal
    "Our documents": "Nos documents",
    "Our donations and documents": "Nos dons et nos documents",
    "%(n)s donated devices": "%(n)s équipements donnés",
    # public device page
    "This device was given by a public body; the workshop is checking and preparing it for "
    "reuse.": (
        "Cet équipement a été donné par une collectivité ; l'atelier le contrôle et le prépare "
        "pour le réemploi."
    ),
    "This device was given by a public body and prepared by the workshop for reuse; it waits "
    "for its new user.": (
        "Cet équipement a été donné par une collectivité et préparé par l'atelier pour être "
        "réemployé ; il attend son nouvel utilisateur."
    ),
    "This device was given by a public body, prepared by the workshop and handed over to be "
    "reused.": (
        "Cet équipement a été donné par une collectivité, préparé par l'atelier et remis pour "
        "être réemployé."
    ),
    "This device was given by a public body. It could not be reused as it was: its parts serve "
    "to repair other devices.": (
        "Cet équipement a été donné par une collectivité. Il ne pouvait pas être réemployé tel "
        "quel : ses pièces servent à réparer d'autres équipements."
    ),
    "This device was given by a public body. It could not be reused: it was handed to a "
    "recycling channel.": (
        "Cet équipement a été donné par une collectivité. Il ne pouvait pas être réemployé : il "
        "a été confié à une filière de recyclage."
    ),
    "Data erasure": "Effacement des données",
    "every drive erased and verified": "tous les disques effacés et vérifiés",
    "a drive could not be erased: it was withdrawn from reuse": (
        "un disque n'a pas pu être effacé : l'équipement a été retiré du réemploi"
    ),
    "no erasure recorded yet": "aucun effacement enregistré pour l'instant",
    "Given to": "Remis à",
    "an association": "une association",
    "a social organisation": "une structure de l'économie sociale",
    "Public history": "Historique public",
}
FRENCH.update(
    {
        "Name the organisation: ?organisation=<id>.": (
            "Indiquez l'organisation : ?organisation=<id>."
        ),
        "Yearly figures": "Chiffres annuels",
        "destinations of the devices (CSV)": "devenir des équipements (CSV)",
        "impact summary (PDF)": "bilan d'impact (PDF)",
    }
)
# waste register
FRENCH.update(
    {
        "Name the consignee (the treatment site).": (
            "Indiquez le destinataire (le site de traitement)."
        ),
        "This device already has a recycling exit.": "Cet appareil a déjà une sortie en recyclage.",
        "Waste register": "Registre des déchets",
        "Export the register (CSV)": "Exporter le registre (CSV)",
        "Exit date": "Date de sortie",
        "Description": "Description",
        "Waste code": "Code déchet",
        "Quantity": "Quantité",
        "Weight (kg)": "Poids (kg)",
        "Consignee": "Destinataire",
        "Transporter": "Transporteur",
        "Treatment code": "Code de traitement",
        "Producer responsibility organisation": "Éco-organisme",
        "Record a recycling exit": "Enregistrer une sortie en recyclage",
        "16 02 14: IT equipment without hazardous parts; 16 02 13*: with hazardous parts": (
            "16 02 14 : équipements sans composants dangereux ; 16 02 13* : avec composants "
            "dangereux"
        ),
        "e.g. R4 (recycling of metals), R12 (sorting before recovery)": (
            "par ex. R4 (recyclage des métaux), R12 (tri avant valorisation)"
        ),
        "Record": "Enregistrer",
        "Description (optional)": "Description (facultative)",
        "Recycling exit recorded.": "Sortie en recyclage enregistrée.",
        "recycling exit": "sortie en recyclage",
        "The device could still be reused: I confirm it goes to recycling": (
            "L'appareil pourrait encore être réemployé : je confirme qu'il part au recyclage"
        ),
        "%(tag)s is reserved for an association: cancel or refuse its reservation before "
        "recycling it.": (
            "%(tag)s est réservé pour une association : annulez ou refusez sa réservation avant "
            "de le recycler."
        ),
        "%(tag)s could still be reused (%(state)s, grade %(grade)s). Recycling it takes it out "
        "of reuse for good: tick the confirmation to record the exit.": (
            "%(tag)s pourrait encore être réemployé (%(state)s, classe %(grade)s). Le recycler le "
            "retire définitivement du réemploi : cochez la confirmation pour enregistrer la "
            "sortie."
        ),
    }
)
FRENCH["Drive certificate (PDF)"] = "Certificat du disque (PDF)"
FRENCH.update(
    {
        "Wipe recorded": "Effacement enregistré",
        "Wipe validated": "Effacement validé",
        "Drive destroyed": "Disque détruit",
        "Sent to recycling": "Sortie en recyclage",
        "Document issued": "Document émis",
        "Document revoked": "Document révoqué",
        "full": "complète",
        "sampled": "par échantillonnage",
        "passed": "réussie",
        "not run": "non faite",
        # per-disk truth: each drive of a device and what happened to it
        "A drive is not erased": "Un disque n'est pas effacé",
        "erased with reservations (accepted by the workshop)": (
            "effacé avec réserves (acceptées par l'atelier)"
        ),
        "erased with reservations (not accepted: wipe again)": (
            "effacé avec réserves (non acceptées : effacer à nouveau)"
        ),
        "destroyed": "détruit",
        "wipe interrupted": "effacement interrompu",
        "not wiped yet": "pas encore effacé",
        "hidden sectors not erased": "secteurs cachés non effacés",
        "sampled verification": "vérification par échantillonnage",
        "Not every drive of this device is erased: %(drives)s.": (
            "Tous les disques de cet appareil ne sont pas effacés : %(drives)s."
        ),
        "Drives": "Disques",
        "Every drive of this device is erased or destroyed.": (
            "Tous les disques de cet appareil sont effacés ou détruits."
        ),
        "Not every drive of this device is erased: it cannot be graded or handed over.": (
            "Tous les disques de cet appareil ne sont pas effacés : il ne peut être ni noté ni remis."
        ),
        "Known from": "Connu par",
        "inventory": "inventaire",
        "wipe record": "rapport d'effacement",
        "Wipe passed with reservations": "Effacé avec réserves",
        "erased with reservations": "effacé avec réserves",
        "erasure not finished: not every drive is erased yet": (
            "effacement en cours : tous les disques ne sont pas encore effacés"
        ),
        "drives physically destroyed: %(count)s": "disques détruits physiquement : %(count)s",
        "Drives counted in the case": "Disques comptés dans le boîtier",
        "counted in the case": "compté dans le boîtier",
        "Record the count": "Enregistrer le nombre",
        "The number of drives must be a whole number from 0 to 32.": (
            "Le nombre de disques doit être un entier de 0 à 32."
        ),
        "Drives counted: %(count)s.": "Disques comptés : %(count)s.",
    }
)
# The PDF signature (PAdES) and what the verification page shows in clear.
FRENCH.update(
    {
        "The signature block is malformed: its key id, payload and signature must be text.": (
            "Le bloc de signature est mal formé : son identifiant de clé, son contenu et sa "
            "signature doivent être du texte."
        ),
        "The PDF signing key of the workshop cannot be read.": (
            "La clé de signature PDF de l'atelier est illisible."
        ),
        "The file is not a readable PDF.": "Le fichier n'est pas un PDF lisible.",
        "The PDF carries no electronic signature of its own (PAdES): its pages are not protected.": (
            "Le PDF ne porte pas de signature électronique propre (PAdES) : ses pages ne sont "
            "pas protégées."
        ),
        "The PDF carries %(count)s electronic signatures; a workshop document has exactly one.": (
            "Le PDF porte %(count)s signatures électroniques ; un document de l'atelier en a "
            "exactement une."
        ),
        "The PDF signature cannot be read: it is damaged.": (
            "La signature du PDF est illisible : elle est endommagée."
        ),
        "The PDF signature does not match the file: its content was altered after signing.": (
            "La signature du PDF ne correspond pas au fichier : son contenu a été modifié après "
            "la signature."
        ),
        "Content was added to the PDF after it was signed: the signature does not cover the whole file.": (
            "Du contenu a été ajouté au PDF après sa signature : la signature ne couvre pas "
            "tout le fichier."
        ),
        "The PDF was not signed with one of the workshop's published certificates.": (
            "Le PDF n'a pas été signé avec l'un des certificats publiés par l'atelier."
        ),
        "The PDF was signed with the certificate of key %(pdf_key)s but its signed content with key %(key)s: they do not belong together.": (
            "Le PDF a été signé avec le certificat de la clé %(pdf_key)s mais son contenu signé "
            "avec la clé %(key)s : ils ne vont pas ensemble."
        ),
        "The PDF signature names another document than the signed content it carries.": (
            "La signature du PDF désigne un autre document que le contenu signé qu'il porte."
        ),
        "The PDF and its signed content are intact and signed by the workshop.": (
            "Le PDF et son contenu signé sont intacts et signés par l'atelier."
        ),
        "Document number": "Numéro du document",
        "Drives stated by the certificate": "Disques déclarés par le certificat",
        "Ended": "Fin",
        "%(bytes)s hidden bytes not erased": "%(bytes)s octets cachés non effacés",
        "Devices with no wipe record (not certified): %(tags)s": (
            "Appareils sans effacement enregistré (non certifiés) : %(tags)s"
        ),
        "Signed content (JSON)": "Contenu signé (JSON)",
        "No drive of this donation is known yet: there is no erasure to certify. Inventory or "
        "wipe its devices first, or give the number of drives of a device on its page.": (
            "Aucun disque de ce don n'est encore connu : il n'y a pas d'effacement à certifier. "
            "Inventoriez ou effacez d'abord ses appareils, ou indiquez le nombre de disques d'un "
            "appareil sur sa page."
        ),
    }
)
