#!/usr/bin/env bash
# Install the bench agent, and only it, into an image layer's Python path:
#   packaging/bench-image/install-agent.sh REPO LAYER_ROOT WHEEL_CACHE
# The agent's dependencies are the pinned binary wheels of wheels.txt (Python 3.11, x86_64,
# fetched once from PyPI into WHEEL_CACHE); the agent itself is this repository's atelier-bench
# and atelier-protocol distributions (scripts/build_wheels.py, offline), without the server.
set -euo pipefail
repo="$1" layer="$2" wheels="$3"
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
target="$layer/usr/local/lib/python3.11/dist-packages"
key=$(sha256sum "$here/wheels.txt" | cut -c1-16)
cache="$wheels/wheels-$key"
if [ ! -f "$cache/complete" ]; then
  rm -rf "$cache" && mkdir -p "$cache"
  "$python" -m pip download -q --dest "$cache" --no-deps --only-binary=:all: \
    --implementation cp --python-version 3.11 --abi cp311 --abi abi3 --abi none \
    --platform manylinux_2_34_x86_64 --platform manylinux_2_28_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any \
    -r "$here/wheels.txt" >&2
  touch "$cache/complete"
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
"$python" "$repo/scripts/build_wheels.py" --out "$build" --only atelier-protocol atelier-bench >&2
mkdir -p "$target"
"$python" -m pip install -q --no-deps --no-index --no-compile --target "$target" \
  "$cache"/*.whl "$build"/atelier_protocol-*.whl "$build"/atelier_bench-*.whl >&2
mkdir -p "$layer/usr/local/bin"
printf '#!/usr/bin/python3\nimport sys\nfrom agents.cli import main\nsys.exit(main())\n' \
  > "$layer/usr/local/bin/bench-agent"
chmod 755 "$layer/usr/local/bin/bench-agent"
rm -rf "$target/bin"
# direct_url.json names this build's temporary folder: drop it, and its line in RECORD.
find "$target" -name direct_url.json -delete
sed -i '/\/direct_url.json,/d' "$target"/*.dist-info/RECORD
# Byte-code compiled now (same Python 3.11 as the image), hash-checked, with the image's paths:
# nothing in it depends on this build's time or folder.
PYTHONHASHSEED=0 "$python" -m compileall -q -j 0 --invalidation-mode unchecked-hash \
  -s "$target" -p /usr/local/lib/python3.11/dist-packages "$target" >&2
