#!/bin/sh
# Stages the Function app package in .deploy/ (azd's prepackage hook; also usable by hand): the
# compiled app (dist/functions, dist/shared), host.json, package.json and package-lock.json, and
# node_modules with the runtime dependencies only, as Flex Consumption runs them (Linux x64, glibc),
# whatever machine this runs on.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/.deploy"
cd "$root"
npm run build --silent
rm -rf "$out"
mkdir -p "$out/dist"
cp -R dist/functions dist/shared "$out/dist/"
cp host.json package.json package-lock.json "$out/"
cd "$out"
# No runtime dependency has an install script; the native ones ship prebuilt per platform.
npm ci --omit=dev --ignore-scripts --os=linux --cpu=x64 --libc=glibc --no-audit --no-fund --loglevel=error
echo "Staged $(du -sh "$out" | cut -f1) in $out"
