#!/usr/bin/python3
"""Checks deploy/'s YAML: every file parses, and the pieces agree with each
other (names, ports, mounts, probes) and with the server's flags.

usage: check_manifests.py DEPLOY_DIR [FLAGS_OUT]
Writes the Kubernetes ConfigMap's gaveld.flags to FLAGS_OUT when given.
Exit 0: fine; 1: a problem (printed); 77: python3-yaml is missing (skip).
"""
import os
import sys

try:
    import yaml
except ImportError:
    print("python3-yaml is not installed: skipped")
    sys.exit(77)

problems = []


def check(ok, what):
    if not ok:
        problems.append(what)


def load_all(path):
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


deploy = sys.argv[1]

compose = load_all(os.path.join(deploy, "compose.yaml"))[0]
gaveld = compose["services"]["gaveld"]
check(os.path.exists(os.path.join(deploy, "..", gaveld["build"]["dockerfile"])),
      "compose: the Dockerfile it builds exists")
check("health" in gaveld["healthcheck"]["test"], "compose: health check")
check(any(v.startswith("gavel-data:/var/lib/gavel") for v in gaveld["volumes"]),
      "compose: data volume on /var/lib/gavel")
check(all(p.startswith("127.0.0.1:") for p in gaveld["ports"]),
      "compose: published on loopback only")
for config in gaveld["configs"]:
    check(config["source"] in compose["configs"], "compose: config defined")
for secret in gaveld["secrets"]:
    check(secret["source"] in compose["secrets"], "compose: secret defined")

k8s = os.path.join(deploy, "kubernetes")
kustomization = load_all(os.path.join(k8s, "kustomization.yaml"))[0]
docs = []
for resource in kustomization["resources"]:
    docs += load_all(os.path.join(k8s, resource))
by_kind = {}
for doc in docs:
    by_kind.setdefault(doc["kind"], []).append(doc)
check(set(by_kind) == {"ConfigMap", "Service", "StatefulSet"},
      "kubernetes: a ConfigMap, a Service and a StatefulSet")
secret_names = {g["name"] for g in kustomization["secretGenerator"]}
sts = by_kind["StatefulSet"][0]
check(sts["spec"]["replicas"] == 1, "kubernetes: one replica (one writer)")
service = by_kind["Service"][0]
check(sts["spec"]["serviceName"] == service["metadata"]["name"],
      "kubernetes: serviceName names the Service")
pod = sts["spec"]["template"]["spec"]
check(pod["securityContext"]["runAsNonRoot"] is True, "kubernetes: non-root")
container = pod["containers"][0]
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
check(service["spec"]["ports"][0]["targetPort"] in ports,
      "kubernetes: the Service targets a named container port")
for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
    check(container.get(probe, {}).get("grpc", {}).get("port") == ports["grpc"],
          "kubernetes: %s is a gRPC probe on the server's port" % probe)
volumes = {v["name"]: v for v in pod["volumes"]}
claims = {c["metadata"]["name"] for c in sts["spec"]["volumeClaimTemplates"]}
mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
for name in mounts:
    check(name in volumes or name in claims,
          "kubernetes: volume %s is defined" % name)
check(mounts.get("data") == "/var/lib/gavel", "kubernetes: data on the PVC")
configmap = by_kind["ConfigMap"][0]
check(volumes["flags"]["configMap"]["name"] == configmap["metadata"]["name"],
      "kubernetes: the flags volume mounts the ConfigMap")
check(volumes["secrets"]["secret"]["secretName"] in secret_names,
      "kubernetes: the secrets volume mounts the generated Secret")
flags = configmap["data"]["gaveld.flags"]
flagfile = container["args"][0].split("=", 1)[1]
check(flagfile == os.path.join(mounts["flags"], "gaveld.flags"),
      "kubernetes: --flagfile points into the ConfigMap mount")
secret_files = {f.split("=", 1)[0]
                for g in kustomization["secretGenerator"] for f in g["files"]}
for line in flags.splitlines():
    for flag in ("--tokens_file=", "--signing_key="):
        if line.startswith(flag):
            path = line[len(flag):]
            check(os.path.dirname(path) == mounts["secrets"] and
                  os.path.basename(path) in secret_files,
                  "kubernetes: %s is a file of the Secret" % flag)
    if line.startswith("--data_dir="):
        check(line.split("=", 1)[1].startswith(mounts["data"] + "/"),
              "kubernetes: --data_dir is on the PVC")

if len(sys.argv) > 2:
    with open(sys.argv[2], "w") as out:
        out.write(flags)

for problem in problems:
    print("FAILED:", problem)
sys.exit(1 if problems else 0)
