#!/bin/sh
# Builds courtier_VERSION_all.deb from the distribution directory, with dpkg-deb alone (no
# debhelper), so the Maven build can make it on any Debian or Ubuntu machine.
#
#   build-deb.sh MAVEN_VERSION DIST_DIR OUT_DIR
#
# DIST_DIR is target/courtier/courtier-VERSION (bin/, lib/, conf/, courtier.service, LICENSE).
# Where dpkg-deb is missing (other Linux distributions, macOS) it says so and does nothing.
set -eu
version=$1
dist=$2
out=$3
src=$(cd "$(dirname "$0")" && pwd)

# 1.0-SNAPSHOT sorts after 1.0 as a Debian version; 1.0~SNAPSHOT sorts before, as it should.
debversion=$(printf '%s' "$version" | sed 's/-/~/g')
deb="$out/courtier_${debversion}_all.deb"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "[courtier] dpkg-deb not found: skipping the Debian package $(basename "$deb")" \
       "(install dpkg on a Debian-like system to build it)."
  exit 0
fi

root="$out/deb-root"
rm -rf "$root" "$deb"
umask 022
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/courtier/bin" "$root/usr/share/courtier/lib" \
         "$root/etc/courtier/conf.d" "$root/lib/systemd/system" "$root/usr/share/doc/courtier" \
         "$root/usr/share/man/man1"

# The program: the same launcher and jars as the tarball. /usr/bin/courtier is a relative
# symlink, and the launcher follows it to find lib/, so an unpacked copy (dpkg -x) runs too.
install -m 0755 "$dist/bin/courtier" "$root/usr/share/courtier/bin/courtier"
install -m 0644 "$dist"/lib/*.jar "$root/usr/share/courtier/lib/"
ln -s ../share/courtier/bin/courtier "$root/usr/bin/courtier"
# The class-data sharing archive is made by postinst for the Java installed here (one made
# on the build machine would not match it): bin/courtier looks in its home's cds/.
ln -s /var/cache/courtier "$root/usr/share/courtier/cds"

# The configuration: the tarball's file, with the data kept in /var/lib/courtier and
# /etc/courtier/conf.d read, as Debian's mosquitto package does.
conf="$root/etc/courtier/courtier.conf"
sed -e 's|^persistence_location data/$|persistence_location /var/lib/courtier/|' \
    -e 's|^#include_dir conf/conf.d$|include_dir /etc/courtier/conf.d|' \
    "$dist/conf/courtier.conf" > "$conf"
for expect in '^persistence_location /var/lib/courtier/$' '^include_dir /etc/courtier/conf.d$'; do
  grep -q "$expect" "$conf" || { echo "build-deb.sh: courtier.conf changed: no line matching $expect" >&2; exit 1; }
done
chmod 0644 "$conf"
install -m 0644 "$dist/conf/conf.d/README" "$root/etc/courtier/conf.d/README"

install -m 0644 "$dist/courtier.service" "$root/lib/systemd/system/courtier.service"
mkdir -p "$root/etc/default" "$root/etc/logrotate.d"
install -m 0644 "$src/debian/default" "$root/etc/default/courtier"
install -m 0644 "$src/debian/logrotate" "$root/etc/logrotate.d/courtier"

# Documentation, as Debian policy wants it: copyright, compressed changelog and man page.
install -m 0644 "$src/debian/copyright" "$root/usr/share/doc/courtier/copyright"
install -m 0644 "$dist/README" "$root/usr/share/doc/courtier/README"
date=$(date -R -u ${SOURCE_DATE_EPOCH:+-d @$SOURCE_DATE_EPOCH})
sed -e "s/@VERSION@/$debversion/" -e "s/@DATE@/$date/" "$src/debian/changelog" \
  | gzip -9n > "$root/usr/share/doc/courtier/changelog.gz"
sed -e "s/@VERSION@/$debversion/" "$src/debian/courtier.1" | gzip -9n > "$root/usr/share/man/man1/courtier.1.gz"
chmod 0644 "$root/usr/share/doc/courtier/changelog.gz" "$root/usr/share/man/man1/courtier.1.gz"

# Control files.
for script in postinst prerm postrm; do
  install -m 0755 "$src/debian/$script" "$root/DEBIAN/$script"
done
install -m 0644 "$src/debian/triggers" "$root/DEBIAN/triggers"
(cd "$root" && find etc -type f | sort | sed 's|^|/|') > "$root/DEBIAN/conffiles"
chmod 0644 "$root/DEBIAN/conffiles"
size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$debversion/" -e "s/@SIZE@/$size/" "$src/debian/control" > "$root/DEBIAN/control"
(cd "$root" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

# gzip, not xz: the jars are compressed already, and xz would add half a minute to each build.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "[courtier] built $deb"
