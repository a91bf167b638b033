{{/*
  One stateless HTTP component (ingress, decisions API, codec server): Deployment, Service and PodDisruptionBudget.
  include "rcm.http" (dict "root" $ "component" "ingress" "cfg" .Values.ingress "command" (list …)
                           "env" (list (dict "name" … "value" …)) "secrets" (list …) "volumes" … "mounts" …)
  Probes use the component's /healthz: it answers once the server listens, which is all these need to serve.
*/}}
{{- define "rcm.http" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- $name := printf "%s-%s" (include "rcm.fullname" $root) .component | trunc 63 | trimSuffix "-" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "rcm.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  replicas: {{ $cfg.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "rcm.selector" (list $root .component) | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "rcm.selector" (list $root .component) | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "rcm.podCommon" $root | trim | nindent 6 }}
      terminationGracePeriodSeconds: {{ $cfg.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .component }}
          image: {{ printf "%s:%s" $root.Values.image.repository (toString $root.Values.image.tag) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command:
            {{- toYaml .command | nindent 12 }}
          envFrom:
            - configMapRef:
                name: {{ include "rcm.fullname" $root }}-common
          env:
            {{- with .env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- include "rcm.secretEnv" (list $root .secrets) | trim | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $cfg.port }}
          startupProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml $cfg.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            {{- include "rcm.temporalVolumeMounts" $root | nindent 12 }}
            {{- with .mounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "rcm.temporalVolumes" $root | nindent 8 }}
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "rcm.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  selector:
    {{- include "rcm.selector" (list $root .component) | nindent 4 }}
  ports:
    - name: http
      port: {{ $cfg.port }}
      targetPort: http
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "rcm.labels" $root | nindent 4 }}
spec:
  maxUnavailable: {{ $cfg.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "rcm.selector" (list $root .component) | nindent 6 }}
{{- end -}}
