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
#   BENCH_CA_FILE=ca.pem (the CA that signed the server's https certificate, if not a public one)
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

for tool in mmdebstrap mksquashfs grub-mkrescue xorriso mformat mcopy mkfs.vfat; do
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
if [ -n "${BENCH_CA_FILE:-}" ]; then
  # The workshop's own certificate authority, for an https server it signed (see docs).
  grep -q "BEGIN CERTIFICATE" "$BENCH_CA_FILE" \
    || { echo "build-image: BENCH_CA_FILE=$BENCH_CA_FILE is not a PEM certificate" >&2; exit 1; }
  install -D -m 644 "$BENCH_CA_FILE" "$layer/usr/local/share/atelier/ca.pem"
fi
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
# Debian's signed GRUB for removable media finds the medium by this file (Secure Boot path).
mkdir -p "$iso/.disk"
echo "Atelier bench image" > "$iso/.disk/info"
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
if [ -d "$base/efi" ]; then
  # Secure Boot: grub-mkrescue's EFI boot image holds an unsigned GRUB, which firmware with
  # Secure Boot on refuses. Replace it by one holding Debian's chain (shim signed by Microsoft's
  # UEFI CA, GRUB and the kernel signed by Debian; it boots with Secure Boot off too), then
  # master the ISO again with the boot options grub-mkrescue chose (BIOS, hybrid MBR, GPT).
  efi="$work/efi.img"
  truncate -s 8M "$efi"
  mkfs.vfat --invariant -i "$(printf '%08x' "$SOURCE_DATE_EPOCH")" -n ATELIER_EFI "$efi" >/dev/null
  for f in "$base"/efi/*.efi; do touch -d "@$SOURCE_DATE_EPOCH" "$f" 2>/dev/null || true; done
  mmd -i "$efi" ::/EFI ::/EFI/BOOT
  mcopy -m -i "$efi" "$base/efi/shimx64.efi" ::/EFI/BOOT/BOOTX64.EFI
  mcopy -m -i "$efi" "$base/efi/grubx64.efi" ::/EFI/BOOT/grubx64.efi
  mcopy -m -i "$efi" "$base/efi/mmx64.efi" ::/EFI/BOOT/mmx64.efi
  tree="$work/tree"
  xorriso -osirrox on -indev "$output.tmp" -extract / "$tree" 2>"$work/extract.log" \
    || { cat "$work/extract.log" >&2; exit 1; }
  chmod -R u+w "$tree"
  cp "$efi" "$tree/efi.img"
  find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  # The same boot options, but the EFI image's size (in 512-byte sectors) is the new one's.
  xorriso -indev "$output.tmp" -report_el_torito as_mkisofs 2>/dev/null \
    | awk -v n=$(( $(stat -c %s "$efi") / 512 )) \
        '/^-e /{e=1} e && /^-boot-load-size/{print "-boot-load-size " n; e=0; next} {print}' \
    > "$work/boot-options"
  eval "set -- $(tr '\n' ' ' < "$work/boot-options")"
  xorriso -volume_date c "=$SOURCE_DATE_EPOCH" -volume_date m "=$SOURCE_DATE_EPOCH" \
    -volume_date uuid "$iso_date" -volume_date all_file_dates "=$SOURCE_DATE_EPOCH" \
    -as mkisofs "$@" -r -o "$output.sb" "$tree" 2>"$work/remaster.log" \
    || { cat "$work/remaster.log" >&2; exit 1; }
  mv "$output.sb" "$output.tmp"
fi
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
