"""What can be checked of the Kubernetes path without a cluster or a Docker daemon.

1. Every manifest in deploy/k8s/ validates against the Kubernetes schemas
   (kubernetes-validate, strict: an unknown field is an error) for each version in
   KUBERNETES_VERSIONS.
2. The Dockerfile (parsed by Docker's own parser, the `dockerfile` package) has the
   targets `assistant` and `actions`; everything it copies exists and is in the build
   context (.dockerignore); its Python is the project's (3.10).
3. The manifests agree with the images and the code: each Deployment runs the command
   of its image's target, on the port the image exposes; the probes ask real endpoints of
   that server; every variable set in the ConfigMap and the Secret is one that
   docs/contract/interfaces.md names; the root file system is read-only and every path
   the servers write (WRITABLE) is a mounted volume.

Run by deploy/check.sh (`make deploy-check`) in the tools' own environment.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from pathlib import Path
from typing import Any

import dockerfile
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
DOCKERFILE = ROOT / "deploy" / "docker" / "Dockerfile"
KUBERNETES_VERSIONS = ("1.29.0", "1.33.0")
#: The endpoints each server answers (assistant.supervision's readiness URLs).
REAL_PATHS = {"assistant": {"/webhooks/rest/"}, "actions": {"/health"}}
#: Where the servers write at run time (`hukou-assistant serve`: the generated files in
#: var/; Rasa and jieba: the temporary directory, also HOME in the image), found by
#: running both images with `docker run --read-only` (deploy/README.md).
WRITABLE = {"/app/var", "/tmp"}


def validate_schemas() -> list[str]:
    manifests = sorted(str(p) for p in K8S.glob("*.yaml"))
    problems = []
    for version in KUBERNETES_VERSIONS:
        done = subprocess.run(
            [sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet",
             "-k", version, *manifests],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            problems.append(f"Kubernetes {version}:\n{done.stdout}{done.stderr}")
    return problems


def dockerignore_allows(path: str) -> bool:
    """Whether `path` is in the build context (last matching .dockerignore line wins)."""
    allowed = True
    for raw in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").rstrip("/")
        if pattern == "**" or fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
            allowed = negate
    return allowed


def image_targets() -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Per target: its CMD and exposed ports; and the problems found in the Dockerfile."""
    targets: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    current: dict[str, Any] = {}
    for command in dockerfile.parse_file(str(DOCKERFILE)):
        if command.cmd == "FROM":
            image, *rest = command.value
            name = rest[1] if len(rest) == 2 and rest[0].upper() == "AS" else image
            current = targets.setdefault(name, {"cmd": None, "ports": set(), "from": image})
            if image.startswith("python:") and not image.startswith("python:3.10"):
                problems.append(f"base image {image}: the project needs Python 3.10")
        elif command.cmd == "CMD":
            current["cmd"] = list(command.value)
        elif command.cmd == "EXPOSE":
            current["ports"].update(int(p.split("/")[0]) for p in command.value)
        elif command.cmd == "COPY" and not any(f.startswith("--from") for f in command.flags):
            for source in command.value[:-1]:
                path = source.rstrip("/")
                if not (ROOT / path).exists() and not path.startswith("models/"):
                    problems.append(f"COPY {source}: not in the repository")
                if not dockerignore_allows(path):
                    problems.append(f"COPY {source}: excluded by .dockerignore")
    for name in ("assistant", "actions"):
        if name not in targets or not targets[name]["cmd"]:
            problems.append(f"Dockerfile: no target {name!r} with a CMD")
    return targets, problems


def documented_variables() -> set[str]:
    text = (ROOT / "docs" / "contract" / "interfaces.md").read_text(encoding="utf-8")
    names = set()
    for line in text.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(part.strip(" `") for part in first_cell.split(","))
    return names


def check_manifests(targets: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    documented = documented_variables()
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            kind = doc.get("kind")
            if kind in ("ConfigMap", "Secret"):
                keys = set(doc.get("data") or {}) | set(doc.get("stringData") or {})
                problems += [f"{path.name}: {k} is not in interfaces.md"
                             for k in sorted(keys - documented)]
            if kind != "Deployment":
                continue
            for container in doc["spec"]["template"]["spec"]["containers"]:
                role = container["name"]
                target = targets.get(role)
                if target is None:
                    problems.append(f"{path.name}: container {role!r} has no image target")
                    continue
                if container.get("args") != target["cmd"]:
                    problems.append(f"{path.name}: {role} args {container.get('args')} are "
                                    f"not the image's CMD {target['cmd']}")
                ports = {p["containerPort"] for p in container.get("ports", [])}
                if ports != target["ports"]:
                    problems.append(f"{path.name}: {role} ports {ports} != EXPOSE "
                                    f"{target['ports']}")
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    get = (container.get(probe) or {}).get("httpGet")
                    if probe != "startupProbe" and get is None:
                        problems.append(f"{path.name}: {role} has no HTTP {probe}")
                    elif get is not None and get["path"] not in REAL_PATHS[role]:
                        problems.append(f"{path.name}: {role} {probe} asks {get['path']}, "
                                        f"not one of {sorted(REAL_PATHS[role])}")
                if not (container.get("securityContext") or {}).get("readOnlyRootFilesystem"):
                    problems.append(f"{path.name}: {role} root file system is writable")
                mounted = {m["mountPath"] for m in container.get("volumeMounts", [])}
                problems += [f"{path.name}: {role} writes {p}, which is not a volume"
                             for p in sorted(WRITABLE - mounted)]
                if "resources" not in container:
                    problems.append(f"{path.name}: {role} has no resources")
    return problems


def main() -> int:
    targets, problems = image_targets()
    problems += validate_schemas()
    problems += check_manifests(targets)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        manifests = len(list(K8S.glob("*.yaml")))
        print(f"deploy: {manifests} manifests valid for Kubernetes "
              f"{', '.join(KUBERNETES_VERSIONS)}; Dockerfile targets {sorted(targets)} agree "
              "with them (the images are not built by this check: deploy/README.md)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
