"""French wording of bench tasks: the live bench board, wipes and diagnostics asked from the UI."""

FRENCH = {
    "This bench is disabled.": "Cet établi est désactivé.",
    "The bench does not report a disk %(name)s now.": (
        "L'établi ne signale pas de disque %(name)s en ce moment."
    ),
    "The disk %(name)s on this bench is not the one confirmed (it is now %(model)s, serial "
    "%(serial)s): check it and confirm again.": (
        "Le disque %(name)s de cet établi n'est pas celui qui a été confirmé (c'est maintenant "
        "%(model)s, n° de série %(serial)s) : vérifiez-le et confirmez de nouveau."
    ),
    "The bench protects this disk: %(reasons)s.": "L'établi protège ce disque : %(reasons)s.",
    "A task is already under way on %(name)s.": "Une tâche est déjà en cours sur %(name)s.",
    "No task with id %(id)s.": "Aucune tâche n° %(id)s.",
    "Only a task that has not started can be cancelled (this one is %(state)s).": (
        "Seule une tâche pas encore commencée peut être annulée (celle-ci est : %(state)s)."
    ),
    "Cancelled by %(who)s.": "Annulée par %(who)s.",
    "Only a bench fetches its tasks.": "Seul un établi récupère ses tâches.",
    "Only a bench reports on its tasks.": "Seul un établi rend compte de ses tâches.",
    "This task belongs to another bench.": "Cette tâche appartient à un autre établi.",
    "No task %(uid)s.": "Aucune tâche %(uid)s.",
    "Task %(uid)s is already %(state)s.": "La tâche %(uid)s est déjà terminée (%(state)s).",
    "online": "en ligne",
    "offline": "hors ligne",
    "last seen": "vu",
    "Disks seen now on %(name)s": "Disques présents sur %(name)s",
    "Now": "En ce moment",
    "Progress of %(name)s": "Avancement de %(name)s",
    "ETA": "fin dans",
    "Protected:": "Protégé :",
    "Wipe…": "Effacer…",
    "Diagnose": "Diagnostiquer",
    "Finished": "Terminé",
    "Live: disks, progress and results update by themselves.": (
        "En direct : disques, avancement et résultats se mettent à jour tout seuls."
    ),
    "Connection lost: reconnecting…": "Connexion perdue : reconnexion…",
    "Wipe %(disk)s": "Effacer %(disk)s",
    "on %(bench)s": "sur %(bench)s",
    "Check the label on the disk: everything on it will be erased.": (
        "Vérifiez l'étiquette du disque : tout ce qu'il contient sera effacé."
    ),
    "none reported": "aucun signalé",
    "bytes": "octets",
    "solid state": "SSD",
    "rotating": "disque dur à plateaux",
    "The bench protects this disk:": "L'établi protège ce disque :",
    "Erase this disk": "Effacer ce disque",
    "Back": "Retour",
    "The bench checks again before it starts: the disk must still have this serial and size, be "
    "neither mounted nor part of its own system, and its local policy must allow wipes asked "
    "from here.": (
        "L'établi vérifie de nouveau avant de commencer : le disque doit avoir toujours ce numéro "
        "de série et cette taille, n'être ni monté ni un disque de son propre système, et sa "
        "politique locale doit autoriser les effacements demandés d'ici."
    ),
    "Tasks": "Tâches",
    "Asked": "Demandée le",
    "Task": "Tâche",
    "By": "Par",
    "Outcome": "Résultat",
    "disk dock": "station d'accueil",
    "No task yet.": "Aucune tâche pour l'instant.",
    "Automatic (Purge on SSD/NVMe when the drive supports it, else Clear)": (
        "Automatique (Purge sur SSD/NVMe si le disque le permet, sinon Clear)"
    ),
    "Clear: overwrite with zeros": "Clear : réécriture avec des zéros",
    "Clear: overwrite with a random stream (AES-CTR)": (
        "Clear : réécriture avec un flux aléatoire (AES-CTR)"
    ),
    "Purge (drive's own sanitize command), Clear if unsupported": (
        "Purge (commande d'effacement du disque lui-même), Clear si non prise en charge"
    ),
    "Full: read back every sector": "Complète : relecture de chaque secteur",
    "Sampled (NIST scheme, about 10%)": "Par échantillon (méthode NIST, environ 10 %)",
    "Asset tag of the machine the disk comes from (optional)": (
        "Étiquette de la machine d'où vient le disque (facultatif)"
    ),
    "I confirm: erase this disk; everything on it will be lost": (
        "Je confirme : effacer ce disque ; tout son contenu sera perdu"
    ),
    "Tick the box to confirm the erasure.": "Cochez la case pour confirmer l'effacement.",
    "Wipe of %(disk)s asked of the bench.": "Effacement de %(disk)s demandé à l'établi.",
    "The diagnostic request was incomplete; reload the page and try again.": (
        "La demande de diagnostic était incomplète ; rechargez la page et recommencez."
    ),
    "Diagnostic of %(disk)s asked of the bench.": "Diagnostic de %(disk)s demandé à l'établi.",
    "The request was incomplete; reload the page and try again.": (
        "La demande était incomplète ; rechargez la page et recommencez."
    ),
    "Task cancelled.": "Tâche annulée.",
    "Wipe waiting for the bench": "Effacement en attente de l'établi",
    "Wipe running": "Effacement en cours",
    "Wipe passed": "Effacement réussi",
    "Wipe failed": "Effacement échoué",
    "Wipe refused by the bench": "Effacement refusé par l'établi",
    "Wipe cancelled": "Effacement annulé",
    "Wipe interrupted": "Effacement interrompu",
    "Diagnostic waiting for the bench": "Diagnostic en attente de l'établi",
    "Diagnostic running": "Diagnostic en cours",
    "Diagnostic done": "Diagnostic terminé",
    "Diagnostic: disk failing": "Diagnostic : disque défaillant",
    "Diagnostic refused by the bench": "Diagnostic refusé par l'établi",
    "Diagnostic cancelled": "Diagnostic annulé",
    "Diagnostic interrupted": "Diagnostic interrompu",
    "Diagnose %(disk)s": "Diagnostiquer %(disk)s",
    "Cancel the task on %(disk)s": "Annuler la tâche sur %(disk)s",
    "No news from the bench since %(when)s: the task may have stopped.": (
        "Pas de nouvelles de l'établi depuis le %(when)s : la tâche s'est peut-être arrêtée."
    ),
    "Bench tasks": "Tâches sur les établis",
    "verification": "vérification",
    "surface scan": "lecture de toute la surface",
    "SMART check": "contrôle SMART",
    "Purge: security erase": "Purge : effacement sécurisé",
    "Purge: enhanced security erase": "Purge : effacement sécurisé renforcé",
    "pass %(number)s of %(total)s": "passe %(number)s sur %(total)s",
    "Purge: %(action)s": "Purge : %(action)s",
    "Many screens are following the benches: this page refreshes every %(seconds)s s.": (
        "Beaucoup d'écrans suivent les établis : cette page se met à jour toutes les %(seconds)s s."
    ),
    # diagnostic of the bench's machine
    "Wipe asked of a bench": "Effacement demandé à un établi",
    "Disk diagnostic asked of a bench": "Diagnostic de disque demandé à un établi",
    "Machine diagnostic asked of a bench": "Diagnostic de la machine demandé à un établi",
    "A diagnostic of this machine is already under way.": (
        "Un diagnostic de cette machine est déjà en cours."
    ),
    "Cancel the diagnostic of the machine": "Annuler le diagnostic de la machine",
    "PC asset tag (optional)": "Étiquette du PC (facultatif)",
    "Diagnose the machine of %(name)s (RAM, CPU, batteries, disks)": (
        "Diagnostiquer la machine de %(name)s (mémoire, processeur, batteries, disques)"
    ),
    "Diagnose this machine": "Diagnostiquer la machine",
    "the machine": "la machine",
    "suggested grade %(grade)s": "note suggérée %(grade)s",
    "Machine diagnostic waiting for the bench": "Diagnostic de la machine en attente de l'établi",
    "Machine diagnostic running": "Diagnostic de la machine en cours",
    "Machine diagnostic done": "Diagnostic de la machine terminé",
    "Machine diagnostic: a check failed": "Diagnostic de la machine : un contrôle a échoué",
    "Machine diagnostic refused by the bench": "Diagnostic de la machine refusé par l'établi",
    "Machine diagnostic cancelled": "Diagnostic de la machine annulé",
    "Machine diagnostic interrupted": "Diagnostic de la machine interrompu",
    "RAM test": "test de la mémoire vive",
    "CPU test": "test du processeur",
    "Diagnostic of the machine asked of the bench.": (
        "Diagnostic de la machine demandé à l'établi."
    ),
    "to recycle": "à recycler",
    "The last diagnostic of this disk (%(when)s) found it failing:": (
        "Le dernier diagnostic de ce disque (%(when)s) l'a trouvé défaillant :"
    ),
    "It can still be erased; a failing disk does not go back to reuse: destroy it or keep it "
    "for parts.": (
        "Il peut tout de même être effacé ; un disque défaillant ne retourne pas au réemploi : "
        "détruisez-le ou gardez-le pour pièces."
    ),
    "Last diagnostic of this disk: passed (%(when)s).": (
        "Dernier diagnostic de ce disque : réussi (%(when)s)."
    ),
}
