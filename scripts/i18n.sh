#!/usr/bin/env bash
# Extract, update and compile one area's zh_CN catalog.
# usage: scripts/i18n.sh AREA [python files/folders and template files/folders...]
#   scripts/i18n.sh members society_saas/members society_saas/templates/members
# The catalog lives in society_saas/AREA/translations/zh_CN/LC_MESSAGES/messages.po.
# Give files rather than a whole folder when the folder is shared with another area
# (templates/admin, templates/association): the platform's own list is PLATFORM_PATHS
# in tests/platform/test_i18n.py (core, accounts, oversight).
set -euo pipefail
area=$1; shift
dir=society_saas/$area/translations
pot=$(mktemp --suffix=.pot)
# babel.cfg patterns are relative to the repository root, but pybabel matches a
# directory's files relative to that directory: expand folders to file paths.
mapfile -t files < <(find "$@" -type f \( -name '*.py' -o -name '*.html' \) -not -path '*/__pycache__/*' | sort)
pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o "$pot" "${files[@]}"
if [ -f "$dir/zh_CN/LC_MESSAGES/messages.po" ]; then
  pybabel -q update -N -i "$pot" -d "$dir" -l zh_CN --ignore-obsolete --ignore-pot-creation-date
else
  pybabel -q init -i "$pot" -d "$dir" -l zh_CN
fi
pybabel -q compile -d "$dir" -l zh_CN --statistics
# Babel parses "zh_CN" as zh_Hans_CN and Flask-Babel looks for that folder name
# (gettext does not fall back from zh_Hans_CN to zh_CN): point it at zh_CN.
[ -L "$dir/zh_Hans_CN" ] || ln -s zh_CN "$dir/zh_Hans_CN"
rm -f "$pot"
echo "catalog: $dir/zh_CN/LC_MESSAGES/messages.po"
