"""The bench image's boot parameters: read from the kernel command line, refused when wrong."""

from __future__ import annotations

import pytest

from agents.live.bootparams import BootParamError, LiveParams, parse_cmdline

CMDLINE = (
    "BOOT_IMAGE=/live/vmlinuz boot=live noeject quiet console=ttyS0,115200n8 "
    "atelier.url=http://10.0.2.2:8080 atelier.secret=ABCD-EFGH-JKMN-PQRS-TVWX "
    "atelier.wipe=yes atelier.method=zero atelier.poweroff=yes"
)


def test_the_atelier_parameters_are_read_and_others_ignored():
    assert parse_cmdline(CMDLINE) == LiveParams(
        url="http://10.0.2.2:8080",
        secret="ABCD-EFGH-JKMN-PQRS-TVWX",
        wipe="yes",
        method="zero",
        verify="full",
        poweroff="yes",
        screen="/dev/tty1",
    )
    assert parse_cmdline("atelier.screen=/dev/ttyS1").screen == "/dev/ttyS1"


def test_without_parameters_nothing_is_wiped():
    params = parse_cmdline("boot=live quiet")
    assert params.wipe == "no" and params.url is None and params.secret is None


@pytest.mark.parametrize(
    ("word", "message"),
    [
        (
            "atelier.wipe=all",
            "boot parameter 'atelier.wipe': must be one of no, ask, yes, not 'all'",
        ),
        (
            "atelier.method=shred",
            "boot parameter 'atelier.method': must be one of auto, zero, random, purge",
        ),
        (
            "atelier.url=ftp://x",
            "boot parameter 'atelier.url': server_url must be an http:// or https:// URL",
        ),
        ("atelier.secret=short", "boot parameter 'atelier.secret': 16 to 40 characters expected"),
        ("atelier.wype=yes", "boot parameter 'atelier.wype': unknown"),
        ("atelier.screen=/etc/passwd", "boot parameter 'atelier.screen': a terminal such as"),
    ],
)
def test_a_bad_parameter_is_refused_with_its_name(word, message):
    with pytest.raises(BootParamError) as caught:
        parse_cmdline(f"boot=live {word}")
    assert caught.value.message.startswith(message)
