"""French wording of what the bench agents report (workshop/bench_text.py): protection reasons,
task outcomes, wipe errors, SMART reasons and the default grading rules' reasons."""

FRENCH = {
    # protection
    "%(dev)s is read-only": "%(dev)s est en lecture seule",
    "holds the running system: %(dev)s mounted at %(mountpoint)s": (
        "porte le système en marche : %(dev)s monté sur %(mountpoint)s"
    ),
    "mounted: %(dev)s at %(mountpoint)s": "monté : %(dev)s sur %(mountpoint)s",
    "swap in use: %(swap)s (on %(dev)s)": "swap en service : %(swap)s (sur %(dev)s)",
    "member of md/LVM/dm: %(dev)s is held by %(holders)s": (
        "membre d'un RAID md, LVM ou device-mapper : %(dev)s est tenu par %(holders)s"
    ),
    "%(disk)s is not an internal disk of this PC (boot stick, USB or removable)": (
        "%(disk)s n'est pas un disque interne de ce PC (clé de démarrage, USB ou amovible)"
    ),
    "%(disk)s is being wiped after a confirmation on the PC's screen": (
        "%(disk)s est en cours d'effacement après une confirmation sur l'écran du PC"
    ),
    "local policy: this bench accepts no wipe request from the server": (
        "règle de l'établi : il n'accepte aucune demande d'effacement venue du serveur"
    ),
    "present when the bench agent started (local policy: only disks plugged in afterwards "
    "are wiped on request)": (
        "déjà présent au démarrage de l'agent de l'établi (règle de l'établi : seuls les "
        "disques branchés ensuite sont effacés sur demande)"
    ),
    # the bench's checks of a task
    "no disk %(disk)s on this bench now (%(error)s)": (
        "pas de disque %(disk)s sur cet établi en ce moment (%(error)s)"
    ),
    "%(path)s is not the disk confirmed (now %(model)s, serial %(serial)s, %(size)s bytes)": (
        "%(path)s n'est pas le disque confirmé (maintenant %(model)s, n° de série %(serial)s, "
        "%(size)s octets)"
    ),
    "%(path)s is protected: %(reasons)s": "%(path)s est protégé : %(reasons)s",
    "and %(count)s more reasons": "et %(count)s autres raisons",
    "the bench agent stopped during this task (killed or power cut): the disk is NOT erased": (
        "l'agent de l'établi s'est arrêté pendant cette tâche (arrêté de force ou coupure de "
        "courant) : le disque n'est PAS effacé"
    ),
    "the bench agent failed: %(error)s": "l'agent de l'établi a échoué : %(error)s",
    "%(path)s: no such block device": "%(path)s : aucun périphérique bloc de ce nom",
    "%(path)s is a partition: name the whole disk": (
        "%(path)s est une partition : désignez le disque entier"
    ),
    "%(path)s is not a disk with media": "%(path)s n'est pas un disque avec support",
    "%(path)s was not named for this wipe": "%(path)s n'a pas été désigné pour cet effacement",
    "%(path)s changed since it was confirmed (another disk in the slot?)": (
        "%(path)s a changé depuis la confirmation (un autre disque dans l'emplacement ?)"
    ),
    "%(path)s is busy: a mount, RAID or device-mapper holds it": (
        "%(path)s est occupé : un montage, un RAID ou device-mapper le tient"
    ),
    "cannot open %(path)s: %(error)s": "impossible d'ouvrir %(path)s : %(error)s",
    "%(path)s now reports %(size)s bytes, not %(expected)s": (
        "%(path)s annonce maintenant %(size)s octets, et non %(expected)s"
    ),
    # the wipe
    "write failed at LBA %(lba)s": "échec d'écriture au secteur (LBA) %(lba)s",
    "read failed at LBA %(lba)s": "échec de lecture au secteur (LBA) %(lba)s",
    "read-back differs from the pattern at LBA %(lba)s": (
        "la relecture diffère du motif écrit au secteur (LBA) %(lba)s"
    ),
    "pass %(number)s stopped before the end of the disk": (
        "la passe %(number)s s'est arrêtée avant la fin du disque"
    ),
    "verification stopped before the end": "la vérification s'est arrêtée avant la fin",
    "the wipe thread died": "le fil d'exécution de l'effacement s'est arrêté",
    "Purge not used: %(reason)s": "Purge non utilisée : %(reason)s",
    "Purge %(technique)s did not succeed: %(reason)s": (
        "la Purge %(technique)s n'a pas abouti : %(reason)s"
    ),
    "Clear instead": "effacement par écrasement (Clear) à la place",
    "hidden sectors NOT erased": "secteurs cachés NON effacés",
    "every drive erased or destroyed": "tous les disques effacés ou détruits",
    "wipe failed: %(drives)s": "échec de l'effacement : %(drives)s",
    "not erased: %(drives)s": "non effacé : %(drives)s",
    "drives counted in the case, not seen by a bench: %(count)s": (
        "disques comptés dans le boîtier, non vus par un établi : %(count)s"
    ),
    "verification by sampling, not every sector read back": (
        "vérification par échantillonnage : tous les secteurs n'ont pas été relus"
    ),
    "Purge is not offered through USB bridges (security erase there can brick)": (
        "pas de Purge à travers un adaptateur USB (l'effacement sécurisé peut y rendre le "
        "disque inutilisable)"
    ),
    "ATA security is already enabled or locked (unknown password)": (
        "la sécurité ATA est déjà activée ou verrouillée (mot de passe inconnu)"
    ),
    "only ATA SECURITY ERASE is available, which counts as Clear on flash": (
        "seul ATA SECURITY ERASE est disponible, qui ne vaut que Clear sur de la mémoire flash"
    ),
    "the drive supports neither ATA SANITIZE nor the security feature set": (
        "le disque ne gère ni ATA SANITIZE ni les fonctions de sécurité ATA"
    ),
    "the controller supports neither NVMe Sanitize nor Format": (
        "le contrôleur ne gère ni NVMe Sanitize ni Format"
    ),
    "no ATA or NVMe command path to this disk (transport %(transport)s)": (
        "aucun moyen d'envoyer des commandes ATA ou NVMe à ce disque (transport %(transport)s)"
    ),
    # diagnostic summary
    "SMART pass": "SMART : bon",
    "SMART suspect": "SMART : douteux",
    "SMART fail": "SMART : défaillant",
    "SMART unavailable": "SMART : indisponible",
    "surface scan passed": "test de surface réussi",
    "surface scan failed": "test de surface échoué",
    "surface scan skipped": "test de surface non fait",
    "surface scan aborted": "test de surface interrompu",
    "surface scan timeout": "test de surface trop long (abandonné)",
    "surface scan interrupted": "test de surface interrompu par un arrêt",
    # diagnostic of the machine
    "RAM test passed": "test de la mémoire vive réussi",
    "RAM test failed": "test de la mémoire vive échoué",
    "RAM test skipped": "test de la mémoire vive non fait",
    "RAM test aborted": "test de la mémoire vive interrompu",
    "RAM test timeout": "test de la mémoire vive trop long (abandonné)",
    "RAM test interrupted": "test de la mémoire vive interrompu par un arrêt",
    "CPU test passed": "test du processeur réussi",
    "CPU test failed": "test du processeur échoué",
    "CPU test skipped": "test du processeur non fait",
    "CPU test aborted": "test du processeur interrompu",
    "CPU test timeout": "test du processeur trop long (abandonné)",
    "CPU test interrupted": "test du processeur interrompu par un arrêt",
    "%(disk)s: SMART pass": "%(disk)s : SMART bon",
    "%(disk)s: SMART suspect": "%(disk)s : SMART douteux",
    "%(disk)s: SMART fail": "%(disk)s : SMART défaillant",
    "%(disk)s: SMART unavailable": "%(disk)s : SMART indisponible",
    "%(disk)s: left out (a wipe or diagnostic is running on it)": (
        "%(disk)s : laissé de côté (un effacement ou un diagnostic y est en cours)"
    ),
    # SMART and NVMe health
    "SMART overall-health self-assessment: FAILED": (
        "auto-évaluation SMART de l'état général : ÉCHEC"
    ),
    "%(count)s pending sectors (attribute 197)": (
        "%(count)s secteurs en attente de réallocation (attribut 197)"
    ),
    "%(count)s offline-uncorrectable sectors (attribute 198)": (
        "%(count)s secteurs incorrigibles (attribut 198)"
    ),
    "%(count)s reallocated sectors (attribute 5), above %(limit)s": (
        "%(count)s secteurs réalloués (attribut 5), au-delà de %(limit)s"
    ),
    "%(count)s reallocated sectors (attribute 5)": "%(count)s secteurs réalloués (attribut 5)",
    "attribute %(id)s %(name)s: normalized %(value)s, threshold %(thresh)s (failing now)": (
        "attribut %(id)s %(name)s : valeur normalisée %(value)s, seuil %(thresh)s (en "
        "défaut maintenant)"
    ),
    "attribute %(id)s %(name)s: normalized %(value)s, threshold %(thresh)s "
    "(was at threshold in the past)": (
        "attribut %(id)s %(name)s : valeur normalisée %(value)s, seuil %(thresh)s (a atteint "
        "le seuil par le passé)"
    ),
    "%(left)s%% of rated life left": "%(left)s %% de la durée de vie nominale restante",
    "%(count)s errors in the drive's ATA error log": (
        "%(count)s erreurs dans le journal d'erreurs ATA du disque"
    ),
    "NVMe critical warning %(code)s: %(names)s": "alerte critique NVMe %(code)s : %(names)s",
    "%(count)s media and data integrity errors": (
        "%(count)s erreurs de support et d'intégrité des données"
    ),
    "%(used)s%% of rated endurance used": "%(used)s %% de l'endurance nominale consommée",
    "available spare %(spare)s%% below %(floor)s%%": (
        "réserve disponible de %(spare)s %% sous le seuil de %(floor)s %%"
    ),
    "%(count)s entries in the NVMe error log": "%(count)s entrées dans le journal d'erreurs NVMe",
    "self-test log: %(status)s at LBA %(lba)s (%(hours)s h)": (
        "journal des autotests : %(status)s au secteur (LBA) %(lba)s (%(hours)s h)"
    ),
    "self-test log: %(status)s (%(hours)s h)": "journal des autotests : %(status)s (%(hours)s h)",
    "smartctl reports errors in the self-test log": (
        "smartctl signale des erreurs dans le journal des autotests"
    ),
    "smartctl: SMART status DISK FAILING": "smartctl : état SMART « disque défaillant »",
    "smartctl: prefail attribute at or below threshold": (
        "smartctl : un attribut de pré-défaillance est au seuil ou en dessous"
    ),
    "an attribute was at threshold in the past": "un attribut a atteint son seuil par le passé",
    "%(hours)s power-on hours": "%(hours)s heures de fonctionnement",
    "the drive does not support SMART": "le disque ne gère pas SMART",
    "SMART is disabled on the drive": "SMART est désactivé sur le disque",
    "the device (or its USB bridge) returned no identity and no SMART data": (
        "le périphérique (ou son adaptateur USB) ne donne ni identité ni données SMART"
    ),
    "SMART commands failed": "les commandes SMART ont échoué",
    "no SMART data in the report (SMART disabled or not supported)": (
        "aucune donnée SMART dans le rapport (SMART désactivé ou non géré)"
    ),
    "smartctl output is not JSON": "la sortie de smartctl n'est pas du JSON",
    "smartctl gave no output": "smartctl n'a rien renvoyé",
    "smartctl: %(tool_message)s": "smartctl : %(tool_message)s",
    "%(transport)s disk: a virtual device has no SMART": (
        "disque %(transport)s : un périphérique virtuel n'a pas de SMART"
    ),
    # default grading rules
    "RAM pattern test failed": "le test de la mémoire vive a échoué",
    "CPU computed wrong results": "le processeur a donné des résultats faux",
    "a disk failed: it goes to destruction, the machine needs another": (
        "un disque est défaillant : il part à la destruction, la machine en a besoin d'un autre"
    ),
    "a disk is suspect": "un disque est douteux",
    "the health of a disk is unknown (no SMART)": "l'état d'un disque est inconnu (pas de SMART)",
    "battery wear above 40%": "usure de la batterie au-delà de 40 %",
    "battery wear above 70%: replace the battery": (
        "usure de la batterie au-delà de 70 % : remplacer la batterie"
    ),
    "a disk has run more than 50,000 hours": "un disque a fonctionné plus de 50 000 heures",
    "no rule lowered the grade": "aucune règle n'a abaissé la note",
    "%(reason)s (%(fact)s %(value)s: %(grade)s at best)": (
        "%(reason)s (%(fact)s %(value)s : %(grade)s au mieux)"
    ),
    # reason codes added with them (atelier_protocol.reasons)
    "write failed at LBA %(lba)s: %(error)s": (
        "échec d'écriture au secteur (LBA) %(lba)s : %(error)s"
    ),
    "read failed at LBA %(lba)s: %(error)s": "échec de lecture au secteur (LBA) %(lba)s : %(error)s",
    "flushing the disk cache failed: %(error)s": (
        "le vidage du cache d'écriture du disque a échoué : %(error)s"
    ),
    "ATA IDENTIFY data is garbled (integrity word not set): not trusted for Purge": (
        "les données ATA IDENTIFY sont altérées (mot d'intégrité absent) : pas de Purge sur "
        "cette base"
    ),
    "ATA security is frozen by the BIOS: suspend and resume the machine (or hot-replug the disk) "
    "to unfreeze it, then retry": (
        "la sécurité ATA est gelée par le BIOS : mettez la machine en veille puis réveillez-la "
        "(ou rebranchez le disque à chaud) pour la dégeler, puis réessayez"
    ),
    "the controller's namespaces could not be listed (nvme list-ns)": (
        "les espaces de noms du contrôleur n'ont pas pu être listés (nvme list-ns)"
    ),
    "the controller has %(count)s namespaces and %(technique)s would erase all of them, not only "
    "the selected disk": (
        "le contrôleur a %(count)s espaces de noms et %(technique)s les effacerait tous, pas "
        "seulement le disque choisi"
    ),
    "%(command)s failed (exit %(status)s)": "%(command)s a échoué (code de sortie %(status)s)",
    "%(text)s": "%(text)s",  # note.text: words without a code, shown as written
}
