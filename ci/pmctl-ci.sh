#!/usr/bin/env bash
# pmctl in CI: the steps that the GitHub Action (action.yml) and the GitLab CI template
# (ci/gitlab/pmctl.gitlab-ci.yml) run, in one place, so that both behave alike and a test
# can run them here. See docs/ci.md.
#
#   pmctl-ci.sh install [SOURCE]   pip-install pmctl. SOURCE: a version (0.2.0), a pip
#                                  requirement, a path or a VCS URL; empty: the latest release
#   pmctl-ci.sh check              lint the postmortems, then the optional checks; every
#                                  step runs, and the exit status is the worst of them
#
# Settings, from the environment (the action's inputs and the template's variables):
#   PMCTL_PATHS           files or directories to lint, space-separated (default: all)
#   PMCTL_FORMAT          lint output on the log: text (default), github (annotations on
#                         the pull request), gitlab, json, sarif or junit
#   PMCTL_CODE_QUALITY    also write a GitLab Code Quality report to this file
#   PMCTL_JUNIT           also write a JUnit report to this file
#   PMCTL_REPORT_OVERDUE  "true": fail while an action item is overdue
#   PMCTL_INDEX_CHECK     "true": fail while INDEX.md is not up to date
#   PMCTL_PIP_ARGS        more arguments for pip install (e.g. an --index-url)
#   PMCTL, PYTHON         the commands to run (default: pmctl, python3)
set -uo pipefail

pmctl="${PMCTL:-pmctl}"
python="${PYTHON:-python3}"

is_true() { [[ "${1:-}" =~ ^([Tt]rue|1|yes)$ ]]; }

install() {
  local source="${1:-}" requirement
  if [[ -z "$source" ]]; then
    requirement="pmctl"
  elif [[ "$source" =~ ^[0-9][0-9A-Za-z.+!-]*$ ]]; then
    requirement="pmctl==$source"
  else
    requirement="$source"
  fi
  # shellcheck disable=SC2086  # PMCTL_PIP_ARGS is a list of arguments
  "$python" -m pip install --disable-pip-version-check ${PMCTL_PIP_ARGS:-} "$requirement"
}

check() {
  local worst=0 status paths=()
  read -r -a paths <<<"${PMCTL_PATHS:-}"
  step() {
    echo "+ $*" >&2
    "$@"
    status=$?
    if ((status > worst)); then worst=$status; fi
  }
  step "$pmctl" lint --format "${PMCTL_FORMAT:-text}" "${paths[@]}"
  if [[ -n "${PMCTL_CODE_QUALITY:-}" ]]; then
    "$pmctl" lint --format gitlab "${paths[@]}" >"$PMCTL_CODE_QUALITY"
  fi
  if [[ -n "${PMCTL_JUNIT:-}" ]]; then
    "$pmctl" lint --format junit "${paths[@]}" >"$PMCTL_JUNIT"
  fi
  if is_true "${PMCTL_REPORT_OVERDUE:-}"; then
    step "$pmctl" report --fail-if overdue
  fi
  if is_true "${PMCTL_INDEX_CHECK:-}"; then
    step "$pmctl" index --check
  fi
  return "$worst"
}

case "${1:-}" in
  install) install "${2:-}" ;;
  check) check ;;
  *)
    echo "usage: $0 install [SOURCE] | check" >&2
    exit 2
    ;;
esac
