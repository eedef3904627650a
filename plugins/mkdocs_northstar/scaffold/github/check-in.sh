#!/bin/sh
# A submitted "Weekly check-in" issue form, as a commit on the branch check-in/issue-<number>.
# The check-in workflow (.github/workflows/check-in.yml) or pipeline job (.gitlab-ci.yml) runs it;
# it needs only git and northstar, so it runs anywhere (the path is .gitlab/check-in.sh on GitLab):
#
#   ISSUE_NUMBER=12 ISSUE_AUTHOR=dana ISSUE_DATE=2026-11-24 ISSUE_BODY="$(cat body.md)" sh .github/check-in.sh
#
# ISSUE_DATE (the day the form was submitted, an ISO date or time) is the check-in's day when the
# form gives none. It writes check-in-output.txt (what northstar said) and, when the check-in is
# written, check-in-pr.md (the pull request's text). It exits 1, having changed nothing, when
# northstar refuses the check-in.
set -eu
: "${ISSUE_NUMBER:?the issue number}" "${ISSUE_AUTHOR:?the login of who submitted it}"
: "${ISSUE_DATE:?the day it was submitted}" "${ISSUE_BODY:?the form body}"
plan="${PLAN_DIR:-plan}"
day="$(printf '%s' "$ISSUE_DATE" | cut -c1-10)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$ISSUE_BODY" > "$work/body.md"

git switch --quiet -C "check-in/issue-$ISSUE_NUMBER"
if ! NORTHSTAR_AS_OF="$day" northstar checkin --plan-dir "$plan" --from-issue "$work/body.md" \
  --message "$work/message.txt" > check-in-output.txt 2>&1; then
  cat check-in-output.txt
  exit 1
fi
cat check-in-output.txt
git add -- "$plan"
git commit --quiet -F "$work/message.txt" --trailer "Reported-by: @$ISSUE_AUTHOR" --trailer "Closes: #$ISSUE_NUMBER"
{
  printf 'Closes #%s. Reported by @%s; the owner is named below.\n\n' "$ISSUE_NUMBER" "$ISSUE_AUTHOR"
  sed -n '3,$p' "$work/message.txt"
  printf '\n```diff\n'
  sed -n '/^--- a\//,/^[^-+ @]/p' check-in-output.txt | sed '$d'
  printf '```\n'
} > check-in-pr.md
