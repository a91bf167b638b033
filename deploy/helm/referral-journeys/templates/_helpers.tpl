{{/* Names: <release>-<chart> trimmed to 63, the usual Kubernetes label limit. */}}
{{- define "rcm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "rcm.name" -}}{{ .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}

{{- define "rcm.labels" -}}
app.kubernetes.io/name: {{ include "rcm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component: include "rcm.selector" (list $ "ingress") */}}
{{- define "rcm.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "rcm.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "rcm.secretName" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else -}}{{ include "rcm.fullname" . }}-secrets{{- end -}}
{{- end -}}

{{/* A Kubernetes-safe form of an image tag (build id) for object names. */}}
{{- define "rcm.buildSlug" -}}
{{- . | lower | replace "_" "-" | replace "." "-" | trunc 20 | trimSuffix "-" -}}
{{- end -}}

{{/* Secret-backed env vars: only keys that exist (optional), never values in the manifest. */}}
{{- define "rcm.secretEnv" -}}
{{- $root := index . 0 -}}
{{- range $key := index . 1 }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "rcm.secretName" $root }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- end -}}

{{/* Temporal connection: env from the common ConfigMap plus the TLS client certificate and TOML profile mounts. */}}
{{- define "rcm.temporalVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: rcm-config
  mountPath: /etc/rcm
  readOnly: true
{{- if .Values.temporal.tls.clientCertSecret }}
- name: temporal-tls
  mountPath: /etc/temporal/tls
  readOnly: true
{{- end }}
{{- if .Values.temporal.profile.enabled }}
- name: temporal-profile
  mountPath: /etc/temporal/profile
  readOnly: true
{{- end }}
{{- end -}}

{{- define "rcm.temporalVolumes" -}}
- name: tmp
  emptyDir: {}
- name: rcm-config
  configMap:
    name: {{ include "rcm.fullname" . }}-files
    items:
      - key: config.json
        path: config.json
{{- if .Values.temporal.tls.clientCertSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.clientCertSecret }}
{{- end }}
{{- if .Values.temporal.profile.enabled }}
- name: temporal-profile
  configMap:
    name: {{ include "rcm.fullname" . }}-files
    items:
      - key: temporal.toml
        path: temporal.toml
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every component. */}}
{{- define "rcm.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* The sites a worker group polls: all sites, or those named by the group (an unknown name fails the render). */}}
{{- define "rcm.groupSites" -}}
{{- $root := index . 0 -}}
{{- $group := index . 1 -}}
{{- $known := list -}}
{{- range $root.Values.sites }}{{ $known = append $known .id }}{{ end -}}
{{- range ($group.sites | default list) }}
{{- if not (has . $known) }}{{ fail (printf "worker group %s names site %s, which is not in .Values.sites" $group.name .) }}{{ end }}
{{- end -}}
{{- $picked := list -}}
{{- range $root.Values.sites }}
{{- if or (not $group.sites) (has .id $group.sites) }}{{ $picked = append $picked . }}{{ end }}
{{- end -}}
{{- toJson $picked -}}
{{- end -}}

{{/* Distinct task queues of a list of sites (JSON), as src/config resolves them. */}}
{{- define "rcm.taskQueues" -}}
{{- $root := index . 0 -}}
{{- $queues := list -}}
{{- range (index . 1) -}}
{{- $q := $root.Values.taskQueue.name -}}
{{- if .taskQueue }}{{ $q = .taskQueue }}{{ else if eq $root.Values.taskQueue.strategy "per-site" }}{{ $q = printf "%s-%s" $root.Values.taskQueue.name .id }}{{ end -}}
{{- $queues = append $queues $q -}}
{{- end -}}
{{- toJson ($queues | uniq) -}}
{{- end -}}

{{/*
  The envconfig TOML profile (`[profile.<name>]`): address, namespace and TLS paths. The API key stays in
  TEMPORAL_API_KEY (env overrides the profile), so the file carries no credential of its own.
*/}}
{{- define "rcm.temporalToml" -}}
[profile.{{ .Values.temporal.profile.name }}]
address = {{ .Values.temporal.address | quote }}
namespace = {{ .Values.temporal.namespace | quote }}
{{- if or .Values.temporal.tls.enabled .Values.temporal.tls.clientCertSecret .Values.temporal.tls.serverName }}

[profile.{{ .Values.temporal.profile.name }}.tls]
{{- with .Values.temporal.tls.serverName }}
server_name = {{ . | quote }}
{{- end }}
{{- if .Values.temporal.tls.clientCertSecret }}
client_cert_path = "/etc/temporal/tls/tls.crt"
client_key_path = "/etc/temporal/tls/tls.key"
{{- if .Values.temporal.tls.serverCaCert }}
server_ca_cert_path = "/etc/temporal/tls/ca.crt"
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
