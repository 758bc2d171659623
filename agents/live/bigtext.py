"""Large type for the console: words drawn with block characters, five rows high."""

from __future__ import annotations

# 5x5 glyphs ('#' = ink) of the letters the verdicts use; accents drawn on the line above.
_GLYPHS = {
    "A": [" ### ", "#   #", "#####", "#   #", "#   #"],
    "C": [" ####", "#    ", "#    ", "#    ", " ####"],
    "E": ["#####", "#    ", "#### ", "#    ", "#####"],
    "F": ["#####", "#    ", "#### ", "#    ", "#    "],
    "H": ["#   #", "#   #", "#####", "#   #", "#   #"],
    "I": ["#####", "  #  ", "  #  ", "  #  ", "#####"],
    "K": ["#   #", "#  # ", "###  ", "#  # ", "#   #"],
    "L": ["#    ", "#    ", "#    ", "#    ", "#####"],
    "N": ["#   #", "##  #", "# # #", "#  ##", "#   #"],
    "O": [" ### ", "#   #", "#   #", "#   #", " ### "],
    "R": ["#### ", "#   #", "#### ", "#  # ", "#   #"],
    "S": [" ####", "#    ", " ### ", "    #", "#### "],
    "T": ["#####", "  #  ", "  #  ", "  #  ", "  #  "],
    "U": ["#   #", "#   #", "#   #", "#   #", " ### "],
    "V": ["#   #", "#   #", "#   #", " # # ", "  #  "],
    " ": ["   ", "   ", "   ", "   ", "   "],
}
_ACCENTED = {"É": "E", "È": "E"}


def big(word: str, ink: str = "█") -> list[str]:
    """The word in block letters (six rows: accents, then five); unknown letters raise KeyError."""
    rows = [""] * 6
    for char in word.upper():
        base = _ACCENTED.get(char, char)
        glyph = _GLYPHS[base]
        width = len(glyph[0])
        accent = ("   ##" if char == "É" else "##   ") if char in _ACCENTED else ""
        rows[0] += accent.ljust(width)[:width] + " "
        for i, line in enumerate(glyph, start=1):
            rows[i] += line + " "
    return [r.rstrip().replace("#", ink) for r in rows]
