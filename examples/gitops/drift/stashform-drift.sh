#!/bin/sh
# Drift detection for a timer or a cron job: runs `stashform drift -json` on the config in
# STASHFORM_DIR, keeps the report, and exits as stashform does:
#   0  nothing changed outside stashform (the report is kept as latest.json)
#   2  drift: something changed outside stashform, or objects nobody declared exist; the report
#      is kept and, when DRIFT_WEBHOOK_URL is set, POSTed there (a chat or alerting webhook)
#   1  an error (a server unreachable, the state locked too long, a bad config): stderr says which
# Environment: STASHFORM_DIR (config folder), DRIFT_REPORT_DIR (default ./drift-reports),
# DRIFT_WEBHOOK_URL (optional), and whatever the config reads with `env`.
set -u
config="${STASHFORM_DIR:?set STASHFORM_DIR to the folder holding main.lua}"
reports="${DRIFT_REPORT_DIR:-./drift-reports}"
mkdir -p "$reports"
report="$reports/drift-$(date -u +%Y%m%dT%H%M%SZ)-$$.json"  # two runs in one second keep both

# Wait for an apply in flight rather than reporting its half-made objects as unmanaged.
code=0
stashform drift -json -lock-timeout=5m "$config" >"$report" || code=$?
case "$code" in
  0)
    cp "$report" "$reports/latest.json"
    echo "stashform drift: no drift ($report)"
    ;;
  2)
    cp "$report" "$reports/latest.json"
    echo "stashform drift: DRIFT found, report in $report" >&2
    if [ -n "${DRIFT_WEBHOOK_URL:-}" ]; then
      curl -fsS -X POST -H "Content-Type: application/json" --data-binary "@$report" "$DRIFT_WEBHOOK_URL" >/dev/null ||
        echo "stashform drift: could not POST the report to DRIFT_WEBHOOK_URL" >&2
    fi
    ;;
  *)
    echo "stashform drift: failed (exit $code); the last good report stays in $reports/latest.json" >&2
    rm -f "$report"
    code=1
    ;;
esac
# Keep the last 200 reports.
# (No report left is no error: under `bash -e -o pipefail` a failing ls would end the script with 2.)
{ ls -1t "$reports"/drift-*.json 2>/dev/null || true; } | tail -n +201 | while read -r old; do rm -f "$old"; done
exit "$code"
