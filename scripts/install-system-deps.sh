#!/bin/sh
# Install the system packages mmkg needs besides Python, on Debian or Ubuntu:
#   - a JDK: `java` runs HermiT (through owlready2, for `mmkg reason`) and the OWL API check of
#     the release (tests/owlapi/OwlCheck.java), which `javac` compiles;
#   - the OWL API 5 (Debian's libowlapi-java), whose jars the check runs on;
#   - Chromium and its WebDriver (Debian's chromium, chromium-driver), in which the browser
#     tests (tests/test_site_browser.py) load the static site headless;
#   - Apache Jena (Debian's libapache-jena-java: the ARQ jars under /usr/share/java) and
#     OpenLink Virtuoso (Debian's virtuoso-opensource: virtuoso-t, isql-vt), the two further
#     SPARQL engines the queries are checked on (tests/engines.py). The tests start their own
#     Virtuoso on a scratch database, so the system service the package sets up is stopped and
#     disabled right after installing it.
# Idempotent: when everything is present it installs nothing and says nothing.
# Installing needs root (CI runs as root); otherwise it says what to run and exits 1.
set -eu

missing=""
command -v java >/dev/null 2>&1 || missing="$missing java"
command -v javac >/dev/null 2>&1 || missing="$missing javac"
ls /usr/share/java/owlapi*.jar >/dev/null 2>&1 || missing="$missing owlapi"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromedriver"
[ -f /usr/share/java/jena-arq.jar ] || missing="$missing jena"
[ -x /usr/bin/virtuoso-t ] && [ -x /usr/bin/isql-vt ] || missing="$missing virtuoso"
[ -z "$missing" ] && exit 0

packages="default-jdk-headless libowlapi-java chromium chromium-driver"
packages="$packages libapache-jena-java virtuoso-opensource"
echo "mmkg: missing system packages for:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "mmkg: installing needs root; run:" >&2
    echo "    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive" \
        "apt-get install -y --no-install-recommends $packages" >&2
    echo "    sudo update-rc.d virtuoso-opensource-7 disable" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "mmkg: no apt-get here; install a JDK (java, javac), the OWL API 5 jars into" >&2
    echo "    /usr/share/java (Debian package libowlapi-java), Chromium with its driver" >&2
    echo "    (/usr/bin/chromium, /usr/bin/chromedriver), the Apache Jena 4 jars into" >&2
    echo "    /usr/share/java (libapache-jena-java) and Virtuoso 7 (/usr/bin/virtuoso-t," >&2
    echo "    /usr/bin/isql-vt) by other means" >&2
    exit 1
fi
echo "mmkg: installing $packages" >&2
export DEBIAN_FRONTEND=noninteractive
# Virtuoso's debconf asks for a new DBA password of the system database; answer it in advance
# with none (the system database is not used: the tests make their own, whose DBA password is
# the default one), which also makes the package disable its daemon.
debconf-set-selections <<'SEL'
virtuoso-opensource-7 virtuoso-opensource-7/dba-password password
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password
virtuoso-opensource-7 virtuoso-opensource-7/register-odbc-dsn boolean false
SEL
apt-get update -qq
# shellcheck disable=SC2086 # the package list is meant to split
apt-get install -y -qq --no-install-recommends $packages >/dev/null
# The package may start the system Virtuoso (ports 1111, 8890) while installing: stop it and
# keep it from starting at boot; the tests run their own server on free ports.
if [ -x /etc/init.d/virtuoso-opensource-7 ]; then
    invoke-rc.d virtuoso-opensource-7 stop >/dev/null 2>&1 || true
    update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true
fi

command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 \
    && ls /usr/share/java/owlapi*.jar >/dev/null 2>&1 \
    && [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
    && [ -f /usr/share/java/jena-arq.jar ] \
    && [ -x /usr/bin/virtuoso-t ] && [ -x /usr/bin/isql-vt ] || {
    echo "mmkg: $packages installed, but java, javac, the OWL API jars, chromium," >&2
    echo "    chromedriver, the Jena jars, virtuoso-t or isql-vt are still missing" >&2
    exit 1
}
