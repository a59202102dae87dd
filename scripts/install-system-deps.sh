#!/bin/sh
# Install the system packages mmkg needs besides Python, on Debian or Ubuntu:
#   - a JDK: `java` runs HermiT (through owlready2, for `mmkg reason`) and the OWL API check of
#     the release (tests/owlapi/OwlCheck.java), which `javac` compiles;
#   - the OWL API 5 (Debian's libowlapi-java), whose jars the check runs on;
#   - Chromium and its WebDriver (Debian's chromium, chromium-driver), in which the browser
#     tests (tests/test_site_browser.py) load the static site headless.
# Idempotent: when everything is present it installs nothing and says nothing.
# Installing needs root (CI runs as root); otherwise it says what to run and exits 1.
set -eu

missing=""
command -v java >/dev/null 2>&1 || missing="$missing java"
command -v javac >/dev/null 2>&1 || missing="$missing javac"
ls /usr/share/java/owlapi*.jar >/dev/null 2>&1 || missing="$missing owlapi"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromedriver"
[ -z "$missing" ] && exit 0

packages="default-jdk-headless libowlapi-java chromium chromium-driver"
echo "mmkg: missing system packages for:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "mmkg: installing needs root; run:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends $packages" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "mmkg: no apt-get here; install a JDK (java, javac), the OWL API 5 jars into" >&2
    echo "    /usr/share/java (Debian package libowlapi-java), and Chromium with its driver" >&2
    echo "    (/usr/bin/chromium, /usr/bin/chromedriver) by other means" >&2
    exit 1
fi
echo "mmkg: installing $packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # the package list is meant to split
apt-get install -y -qq --no-install-recommends $packages >/dev/null

command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 \
    && ls /usr/share/java/owlapi*.jar >/dev/null 2>&1 \
    && [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || {
    echo "mmkg: $packages installed, but java, javac, the OWL API jars, chromium or" >&2
    echo "    chromedriver are still missing" >&2
    exit 1
}
