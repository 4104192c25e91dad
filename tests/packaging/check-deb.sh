#!/usr/bin/env bash
# Builds the DEB with CPack from the build tree and checks what it installs and depends on.
set -euo pipefail
build="$1"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb="$(ls "$out"/*.deb)"
contents="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/tunesmith ./usr/bin/tunesmith-cli \
         ./usr/share/applications/io.tunesmith.Tunesmith.desktop \
         ./usr/share/metainfo/io.tunesmith.Tunesmith.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/io.tunesmith.Tunesmith.svg \
         ./usr/share/tunesmith/demo/claims.jsonl \
         ./usr/share/tunesmith/demo/base-model/model.safetensors; do
    grep -q " $f\$" <<<"$contents" || { echo "missing from $(basename "$deb"): $f"; exit 1; }
done
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libqt6widgets6 libsqlite3-0; do
    grep -q "$lib" <<<"$depends" || { echo "Depends lacks $lib: $depends"; exit 1; }
done
echo "ok: $(basename "$deb") ($(du -h "$deb" | cut -f1)), Depends: $depends"
