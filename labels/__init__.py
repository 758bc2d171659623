"""QR labels for ESC/POS thermal printers: layout, encoding, printer connections.

The API the print queue uses:
    data = LabelData(tag, url, specs, grade, WipeStatus.PASSED, date)
    image = render_label(data, get_media("58mm"))          # pure layout, PIL image
    job = encode_job(data, get_profile("tm-t20ii"), get_media("58mm"), QrMode.NATIVE)
    open_printer("tcp://192.168.1.50:9100").send(job)
"""

# Released with the protocol, the bench agent and the workshop (one version for the four).
__version__ = "0.1.0"


from labels.catalogue import MEDIA, PROFILES, Media, PrinterProfile, get_media, get_profile
from labels.data import LabelData, WipeStatus
from labels.encode import QrMode, encode_job
from labels.errors import LabelError, PrinterError
from labels.layout import preview_png, render_label
from labels.transport import Timeouts, Transport, open_printer

__all__ = [
    "MEDIA",
    "PROFILES",
    "LabelData",
    "LabelError",
    "Media",
    "PrinterError",
    "PrinterProfile",
    "QrMode",
    "Timeouts",
    "Transport",
    "WipeStatus",
    "encode_job",
    "get_media",
    "get_profile",
    "open_printer",
    "preview_png",
    "render_label",
]
