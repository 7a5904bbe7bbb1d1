# pint (v0.87.0) offline config for the rule files of rules/. From rules/:
#   pint --offline -c .pint.hcl lint --fail-on=warning *.yml
# (rules/ holds only rule files at its top level; tests, calendar data and Alertmanager config live in
# sub-directories). rules/pint_test.go runs exactly this, and checks that a rule breaking it fails.

# Every alert: mixin-style severity, the service it concerns, and the three annotations.
rule {
  match {
    kind = "alerting"
  }
  ignore {
    name = "Watchdog"
  }
  label "severity" {
    severity = "bug"
    required = true
    values   = ["critical", "warning", "info"]
  }
  label "service" {
    severity = "bug"
    required = true
  }
  annotation "summary" {
    severity = "bug"
    required = true
  }
  annotation "description" {
    severity = "bug"
    required = true
  }
  annotation "runbook_url" {
    severity = "bug"
    required = true
    value    = "https://github.com/ggzy/ggzy-exporters/blob/main/rules/runbooks/{{ $alert }}.md"
  }
  label "incident_class" {
    severity = "bug"
    required = false
    values   = ["major", "general"]
  }
}

# Paging alerts (incident_class set) other than reminders name themselves in `incident`, the label a silence
# matches to cover an incident and its reminders.
rule {
  match {
    kind = "alerting"
    label "incident_class" {
      value = ".+"
    }
  }
  ignore {
    label "incident_stage" {
      value = "reminder"
    }
  }
  label "incident" {
    severity = "bug"
    required = true
    value    = "{{ $alert }}"
  }
}

# Reminders inherit `incident` from the incident they remind of and must not set it.
rule {
  match {
    kind = "alerting"
    label "incident_stage" {
      value = "reminder"
    }
  }
  label "response_deadline" {
    severity = "bug"
    required = true
    values   = ["10m", "20m", "1h", "2h"]
  }
}

# Watchdog: severity none, no incident class (it must never page a person).
rule {
  match {
    kind = "alerting"
    name = "Watchdog"
  }
  label "severity" {
    severity = "bug"
    required = true
    values   = ["none"]
  }
  annotation "runbook_url" {
    severity = "bug"
    required = true
    value    = "https://github.com/ggzy/ggzy-exporters/blob/main/rules/runbooks/Watchdog.md"
  }
}
