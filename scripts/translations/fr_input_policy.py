"""French wording of the input policy's messages (workshop/input_guard.py)."""

FRENCH = {
    "The field “%(field)s” holds a control character (%(character)s), which is not allowed.": (
        "Le champ « %(field)s » contient un caractère de contrôle (%(character)s), ce qui n’est"
        " pas permis."
    ),
}
