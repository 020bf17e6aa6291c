#!/bin/sh
# Installs what appealkit needs from the operating system, when it is missing:
#   Pango (WeasyPrint's text layout; HarfBuzz's subsetter makes PDF font subsetting 4-5x faster),
#   Liberation Serif (the letters' font, the metric twin of Times New Roman that the DOCX names; it has
#   every Azerbaijani, German and French letter), DejaVu (the review pages' face) and git (`diff`).
# Debian/Ubuntu through apt-get, Fedora through dnf, macOS through Homebrew. The packages are the
# ones of appealkit/system_packages.py, which `appealkit doctor` prints (a test keeps them in step).
# With the argument `test`, also what only the tests use: poppler-utils (pdftoppm lets the tests
# look at the rendered pages) and chromium (the real browser the tests of `appealkit serve` drive
# through Playwright, never `playwright install`), so `make demo` does not pull in a browser, and
# LibreOffice Writer without its GUI (`soffice --headless` prints the audit corpora to PDF, so the
# audit is tested on LibreOffice's PDFs as well as WeasyPrint's), with the hyphenation dictionaries
# it needs to hyphenate a DOCX as the PDF is (the same patterns Pyphen ships).
# Exit code 0 when everything is there (or was installed), 1 when something needed is missing and
# this script cannot install it.
set -eu

debian_packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra git"
debian_test_packages="poppler-utils chromium libreoffice-writer-nogui hyphen-de hyphen-en-us hyphen-fr"
fedora_packages="pango harfbuzz liberation-serif-fonts dejavu-sans-fonts dejavu-serif-fonts git"
fedora_test_packages="poppler-utils chromium libreoffice-writer"
brew_formulae="pango git"
brew_casks="font-liberation font-dejavu"
brew_test_formulae="poppler"

say() { echo "install-system-deps: $*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        say "run as root: $*"
        exit 1
    fi
}

debian() {
    packages="$debian_packages"
    [ "${1:-}" = test ] && packages="$packages $debian_test_packages"
    # Debian's own python3 makes virtual environments (make, pipx) only with python3-venv
    if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        packages="$packages python3-venv"
    fi
    missing=""
    for package in $packages; do
        case "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" in
            *"install ok installed"*) ;;
            *) missing="$missing $package" ;;
        esac
    done
    [ -z "$missing" ] && return 0
    say "installing$missing (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root apt-get install -y -qq --no-install-recommends $missing
}

fedora() {
    packages="$fedora_packages"
    [ "${1:-}" = test ] && packages="$packages $fedora_test_packages"
    missing=""
    for package in $packages; do
        rpm -q "$package" >/dev/null 2>&1 || missing="$missing $package"
    done
    [ -z "$missing" ] && return 0
    say "installing$missing (dnf)"
    # shellcheck disable=SC2086
    as_root dnf install -y -q $missing
}

macos() {
    if ! command -v brew >/dev/null 2>&1; then
        say "macOS without Homebrew: install it (see brew.sh), then run: brew install $brew_formulae && brew install --cask $brew_casks"
        exit 1
    fi
    formulae="$brew_formulae"
    [ "${1:-}" = test ] && formulae="$formulae $brew_test_formulae"
    for formula in $formulae; do
        brew list --formula "$formula" >/dev/null 2>&1 || { say "brew install $formula"; brew install "$formula"; }
    done
    for cask in $brew_casks; do
        brew list --cask "$cask" >/dev/null 2>&1 || { say "brew install --cask $cask"; brew install --cask "$cask"; }
    done
}

unknown() {
    say "$1 is not a system this script knows (Debian/Ubuntu, Fedora, macOS); install Pango 1.44 or later, HarfBuzz, the Liberation Serif and DejaVu fonts and git with its package manager, then run appealkit doctor"
    # Pango is the one thing without which no PDF is made; without it, say so with exit code 1
    if command -v python3 >/dev/null 2>&1 && python3 -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library("pango-1.0") is None)'; then
        say "Pango is present; run appealkit doctor to see the rest"
        exit 0
    fi
    say "Pango was not found"
    exit 1
}

if [ "$(uname -s)" = Darwin ]; then
    macos "$@"
elif command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    debian "$@"
elif command -v rpm >/dev/null 2>&1 && command -v dnf >/dev/null 2>&1; then
    fedora "$@"
else
    unknown "$(uname -s)"
fi
