#!/usr/bin/env bash
# Dump the database named by DATABASE_URL into $ALIS_BACKUP_DIR (pg_dump's custom format: compressed, and
# pg_restore can restore all or part of it), and the uploaded files in DJANGO_MEDIA_ROOT (the website's
# pictures and templates, the records' documents) beside it as a tar archive; delete both older than
# $ALIS_BACKUP_KEEP_DAYS. Prints the dump's path (the archive's on stderr). The README's «Sikkerhetskopi»
# shows how to restore and check a dump.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
dir="${ALIS_BACKUP_DIR:-/var/backups/alis}"
keep="${ALIS_BACKUP_KEEP_DAYS:-35}"
mkdir -p "$dir"
dump="$dir/alis-$(date +%Y-%m-%dT%H%M%S).dump"
umask 077
pg_dump --format=custom --file="$dump.partial" --dbname="$DATABASE_URL"
mv "$dump.partial" "$dump"  # a dump that is there is complete
media="${DJANGO_MEDIA_ROOT:-}"
if [ -n "$media" ] && [ -d "$media" ]; then
    archive="${dump%.dump}-media.tar.gz"
    tar --create --gzip --file="$archive.partial" --directory="$media" .
    mv "$archive.partial" "$archive"
    echo "Uploaded files: $archive" >&2
fi
find "$dir" -maxdepth 1 \( -name 'alis-*.dump' -o -name 'alis-*-media.tar.gz' \) -mtime +"$keep" -delete
echo "$dump"
