"""QR labels for ESC/POS thermal printers: layout, encoding, printer connections."""
