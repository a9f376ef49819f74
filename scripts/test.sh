#!/usr/bin/env bash
# The test command: installs what the tests need (Debian: jing, chromium; PyPI: teikit with
# its test extras into .venv), then runs the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v jing >/dev/null 2>&1 || missing+=(jing)
# the jars Debian's jing wrapper looks for; without them it prints warnings on every call
for pkg in libxml-commons-external-java libavalon-framework-java libbatik-java; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Saxon-HE: the independent Schematron reference the tests compare with (never a runtime need)
dpkg -s libsaxonhe-java >/dev/null 2>&1 || missing+=(libsaxonhe-java)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
