#!/bin/sh
# Installs the system packages appealkit needs on Debian/Ubuntu, when they are missing.
# libharfbuzz-subset0 makes PDF font subsetting 4-5x faster; Liberation Serif (the metric twin of
# Times New Roman, which the DOCX names) is the letters' font and covers Azerbaijani letters;
# DejaVu is the review pages' face.
# With the argument `test`, also what only the tests use: poppler-utils (pdftoppm lets the tests
# look at the rendered pages) and chromium (the real browser the tests of `appealkit serve` drive
# through Playwright, never `playwright install`), so `make demo` does not pull in a browser.
set -eu
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra"
if [ "${1:-}" = test ]; then
    packages="$packages poppler-utils chromium"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-system-deps: not a Debian system; make sure Pango, HarfBuzz and Liberation Serif are installed (and poppler and Chromium for the tests)" >&2
    exit 0
fi
missing=""
for package in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $package" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "install-system-deps: installing$missing"
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "install-system-deps: run as root: apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
