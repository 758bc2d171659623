#!/usr/bin/env bash
# Build the bench image's base (Debian root filesystem as squashfs, kernel, initramfs) into
#   $CACHE/base-<key>/
# where <key> hashes every input: packages.txt, this script, the suite and the mirror.
# Slow (a few minutes: debootstrap of ~300 packages, squashfs compression), so it is cached;
# an existing complete folder is reused. Prints the folder's path on stdout.
#
#   packaging/bench-image/build-base.sh [CACHE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-${ATELIER_CACHE:-$HOME/.cache/atelier}}/bench-image"
suite="${BENCH_IMAGE_SUITE:-bookworm}"
mirror="${BENCH_IMAGE_MIRROR:-http://deb.debian.org/debian}"
security="${BENCH_IMAGE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# Fixed timestamp of every file of the base: same inputs, same archive state -> same bytes.
export SOURCE_DATE_EPOCH=1735689600  # 2025-01-01T00:00:00Z

packages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/packages.txt" | tr -s ' \n' ',' | sed 's/,$//')
key=$( { cat "$here/packages.txt" "$here/build-base.sh"; echo "$suite $mirror $security"; } \
       | sha256sum | cut -c1-16)
out="$cache/base-$key"
if [ -f "$out/complete" ]; then echo "$out"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/base.lock"
flock 9
if [ -f "$out/complete" ]; then echo "$out"; exit 0; fi
work=$(mktemp -d "$cache/base-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"

components="main non-free-firmware"
echo "bench image base $key: mmdebstrap $suite ($mirror)" >&2
mmdebstrap --mode=root --variant=minbase --format=directory \
  --components="$components" \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/fr/*' \
  --include="$packages" \
  --customize-hook='echo atelier-bench > "$1/etc/hostname"' \
  --customize-hook='printf "XKBMODEL=pc105\nXKBLAYOUT=fr\nXKBVARIANT=latin9\nBACKSPACE=guess\n" > "$1/etc/default/keyboard"' \
  --customize-hook='printf "ACTIVE_CONSOLES=\"/dev/tty[1-6]\"\nCHARMAP=UTF-8\nCODESET=Lat15\nFONTFACE=Terminus\nFONTSIZE=16x32\n" > "$1/etc/default/console-setup"' \
  --customize-hook='chroot "$1" dpkg-query -W -f="\${Package} \${Version}\n" > "$1/.manifest"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/tmp/*' \
  --customize-hook=': > "$1/etc/machine-id"; rm -f "$1/var/lib/dbus/machine-id"' \
  "$suite" "$root" \
  "deb $mirror $suite $components" \
  "deb $mirror $suite-updates $components" \
  "deb $security $suite-security $components" >&2

mkdir -p "$work/out"
mv "$root/.manifest" "$work/out/manifest.txt"
cp "$(readlink -f "$root/vmlinuz")" "$work/out/vmlinuz"
cp "$(readlink -f "$root/initrd.img")" "$work/out/initrd.img"
# Secure Boot chain for the ISO's EFI boot image: shim, then Debian's signed GRUB for removable
# media (gcdx64: it finds the medium by /.disk/info and reads /boot/grub/grub.cfg there).
mkdir -p "$work/out/efi"
cp "$root/usr/lib/shim/shimx64.efi.signed" "$work/out/efi/shimx64.efi"
cp "$root/usr/lib/shim/mmx64.efi.signed" "$work/out/efi/mmx64.efi"
cp "$root/usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed" "$work/out/efi/grubx64.efi"
# The kernel and initramfs live beside the squashfs on the medium, not inside it.
rm -rf "$root/boot"/* "$root/vmlinuz" "$root/vmlinuz.old" "$root/initrd.img" "$root/initrd.img.old"
mksquashfs "$root" "$work/out/filesystem.squashfs" -noappend -quiet -no-progress \
  -comp zstd -Xcompression-level 19 -b 1M \
  -wildcards -e 'proc/*' 'sys/*' 'dev/*' 'run/*' >&2
touch "$work/out/complete"
rm -rf "$out"
mv "$work/out" "$out"
echo "$out"
