#!/usr/bin/env bash
# Build the bench image: a hybrid ISO (CD and USB stick, BIOS and UEFI) booting Debian with the
# bench agent, from the cached base (build-base.sh) and a small Atelier layer made each time.
#
#   packaging/bench-image/build-image.sh [OUTPUT.iso]        (default build/atelier-bench.iso)
#
# Boot parameters baked into the menu (all optional; see docs/bench-image.md):
#   BENCH_URL=https://atelier.example  BENCH_SECRET=<site secret>  BENCH_WIPE=ask|yes|no
#   BENCH_METHOD=auto|zero|random|purge  BENCH_VERIFY=full|sample  BENCH_POWEROFF=no|yes
#   BENCH_DIAGNOSE=quick|full|no (the diagnostics step before the wipe; default quick)
#   BENCH_TIMEOUT=5 (menu seconds)  BENCH_EXTRA_ARGS="..." (more kernel parameters)
#   BENCH_NETBOOT_DIR=build/netboot: also write the network-boot files there (kernel, initramfs,
#   the ISO, cmdline.txt, Debian's iPXE binaries when installed) for WORKSHOP_NETBOOT_DIR.
# Cache: ${ATELIER_CACHE:-~/.cache/atelier}. SOURCE_DATE_EPOCH defaults to the last commit's time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
output="$(realpath -m "${1:-$repo/build/atelier-bench.iso}")"
cache="${ATELIER_CACHE:-$HOME/.cache/atelier}"
python="${PYTHON:-python3}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 1735689600)}"

for tool in mmdebstrap mksquashfs grub-mkrescue xorriso mformat; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool is missing (make debs-image)" >&2; exit 1; }
done
base="$("$here/build-base.sh" "$cache")"
# Old bases pile up (each is ~200 MB; a new packages.txt makes a new one): keep this one and the
# most recently used other, drop the rest and any work folder a killed build left behind. Only
# when no base is being built right now (its lock is free).
touch "$base/last-used"
(
  flock -n 9 || exit 0
  for dir in "$cache"/bench-image/base-*; do  # bases older than last-used: dated when built
    if [ -f "$dir/complete" ] && [ ! -f "$dir/last-used" ]; then
      touch -r "$dir/complete" "$dir/last-used"
    fi
  done
  ls -1dt "$cache"/bench-image/base-*/last-used 2>/dev/null | sed 's,/last-used$,,' \
    | { grep -vxF "$base" || true; } | tail -n +2 | xargs -r rm -rf
  for dir in "$cache"/bench-image/base-*; do
    if [ -d "$dir" ] && [ ! -f "$dir/last-used" ] && [ ! -f "$dir/complete" ]; then rm -rf "$dir"; fi
  done
  true
) 9>"$cache/bench-image/base.lock"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
layer="$work/layer" iso="$work/iso"
mkdir -p "$layer" "$iso/live" "$iso/boot/grub"
cp -a "$here/overlay/." "$layer/"
# tty1 is the console's: no login prompt there, which would also take the OUI typed on the PC.
ln -sf /dev/null "$layer/etc/systemd/system/getty@tty1.service"
PYTHON="$python" "$here/install-agent.sh" "$repo" "$layer" "$cache/bench-image"
mkdir -p "$layer/usr/local/share/doc/atelier"
cp "$repo/docs/bench-image.md" "$layer/usr/local/share/doc/atelier/" 2>/dev/null || true
find "$layer" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
# Sorted after filesystem.squashfs, so live-boot stacks this layer on top of the base.
mksquashfs "$layer" "$iso/live/zz-atelier.squashfs" -noappend -quiet -no-progress \
  -comp zstd -Xcompression-level 15 -all-root >&2
ln "$base/filesystem.squashfs" "$iso/live/filesystem.squashfs" 2>/dev/null \
  || cp "$base/filesystem.squashfs" "$iso/live/filesystem.squashfs"
cp "$base/vmlinuz" "$base/initrd.img" "$iso/live/"
cp "$base/manifest.txt" "$iso/live/packages.txt"

params=""
[ -n "${BENCH_URL:-}" ] && params+=" atelier.url=$BENCH_URL"
[ -n "${BENCH_SECRET:-}" ] && params+=" atelier.secret=$BENCH_SECRET"
[ -n "${BENCH_METHOD:-}" ] && params+=" atelier.method=$BENCH_METHOD"
[ -n "${BENCH_VERIFY:-}" ] && params+=" atelier.verify=$BENCH_VERIFY"
[ -n "${BENCH_POWEROFF:-}" ] && params+=" atelier.poweroff=$BENCH_POWEROFF"
[ -n "${BENCH_DIAGNOSE:-}" ] && params+=" atelier.diagnose=$BENCH_DIAGNOSE"
params+=" ${BENCH_EXTRA_ARGS:-}"
wipe="${BENCH_WIPE:-ask}"
common="boot=live noeject nopersistence quiet console=tty0 console=ttyS0,115200n8"
{
  echo "# Atelier bench image (built $(date -u -d "@$SOURCE_DATE_EPOCH" +%F))"
  echo "set timeout=${BENCH_TIMEOUT:-5}"
  echo "set default=0"
  echo "serial --unit=0 --speed=115200"
  echo "terminal_input console serial"
  echo "terminal_output console serial"
  first="inventaire puis effacement des disques internes"
  case "$wipe" in
    yes) title="Atelier : $first (confirme par ce menu)";;
    ask) title="Atelier : $first (confirmation a l'ecran)";;
    *) title="Atelier : inventaire seulement";;
  esac
  echo "menuentry \"$title\" {"
  echo "  linux /live/vmlinuz $common atelier.wipe=$wipe$params"
  echo "  initrd /live/initrd.img"
  echo "}"
  echo "menuentry \"Atelier : inventaire seulement (aucun effacement)\" {"
  echo "  linux /live/vmlinuz $common atelier.wipe=no$params"
  echo "  initrd /live/initrd.img"
  echo "}"
} > "$iso/boot/grub/grub.cfg"
find "$iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$(dirname "$output")" "$work/bin"
# grub-mkrescue formats the UEFI boot image with mformat, whose volume serial is random: a fixed
# one (the build's date) keeps the ISO byte-for-byte reproducible.
printf '#!/bin/sh\nexec %s -N %08x "$@"\n' "$(command -v mformat)" "$SOURCE_DATE_EPOCH" \
  > "$work/bin/mformat"
chmod +x "$work/bin/mformat"
iso_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S00)
PATH="$work/bin:$PATH" grub-mkrescue --output="$output.tmp" "$iso" -- -volid ATELIER_BENCH \
  -volume_date c "=$SOURCE_DATE_EPOCH" -volume_date m "=$SOURCE_DATE_EPOCH" \
  -volume_date uuid "$iso_date" -volume_date all_file_dates "=$SOURCE_DATE_EPOCH" \
  2>"$work/grub.log" \
  || { cat "$work/grub.log" >&2; exit 1; }
mv "$output.tmp" "$output"
if [ -n "${BENCH_NETBOOT_DIR:-}" ]; then
  net="$BENCH_NETBOOT_DIR"
  mkdir -p "$net"
  cp "$base/vmlinuz" "$base/initrd.img" "$net/"
  ln -f "$output" "$net/atelier-bench.iso" 2>/dev/null || cp "$output" "$net/atelier-bench.iso"
  echo "atelier.wipe=$wipe$params" | tr -s ' ' > "$net/cmdline.txt"
  for f in undionly.kpxe ipxe.efi snponly.efi; do
    if [ -f "/usr/lib/ipxe/$f" ]; then cp "/usr/lib/ipxe/$f" "$net/"; fi
  done
  # dnsmasq's pxe-service appends ".0" to the file name it gives BIOS clients.
  if [ -f "$net/undionly.kpxe" ]; then cp "$net/undionly.kpxe" "$net/undionly.kpxe.0"; fi
  echo "network boot files in $net"
fi
echo "$output ($(du -h "$output" | cut -f1)) from base $(basename "$base")"
