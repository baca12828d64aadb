#!/usr/bin/env bash
# Extract, update and compile one area's zh_CN catalog.
# usage: scripts/i18n.sh AREA [python paths and template folders...]
#   scripts/i18n.sh members society_saas/members society_saas/templates/members
# The catalog lives in society_saas/AREA/translations/zh_CN/LC_MESSAGES/messages.po.
set -euo pipefail
area=$1; shift
dir=society_saas/$area/translations
pot=$(mktemp --suffix=.pot)
pybabel extract -q -F babel.cfg -k _l -k lazy_gettext -o "$pot" "$@"
if [ -f "$dir/zh_CN/LC_MESSAGES/messages.po" ]; then
  pybabel update -q -N -i "$pot" -d "$dir" -l zh_CN --omit-header --ignore-obsolete
else
  pybabel init -q -i "$pot" -d "$dir" -l zh_CN
fi
pybabel compile -q -d "$dir" -l zh_CN || true
rm -f "$pot"
echo "catalog: $dir/zh_CN/LC_MESSAGES/messages.po"
