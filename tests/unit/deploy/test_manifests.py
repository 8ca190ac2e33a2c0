"""Static checks of the deployment files: Dockerfile, docker-compose.yml and deploy/.

Nothing here starts a container or talks to a cluster. The files are parsed with
PyYAML and compared with what the code reads (`hotline.settings.Settings` and the
secret variables of `hotline.runtime.auth` / `hotline.runtime.sealing`). When
`kustomize` or `kubectl` is on PATH the overlays are also rendered and the rendered
objects checked; otherwise those tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices

from hotline.runtime import auth, sealing, tracing
from hotline.settings import SERVICE_NAMES, Settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
OVERLAYS = ("dev", "prod")
IMAGE = "hotline12345"
PART_OF = {"app.kubernetes.io/part-of": "hotline12345"}

# Read from the environment by the runtime, not through Settings; never stored in git.
SECRET_VARS = frozenset({auth.ENV_VAR, sealing.ENV_VAR, "HOTLINE_POSTGRES_PASSWORD"})
OTEL_VARS = frozenset({*tracing.OTLP_ENDPOINT_VARS, "OTEL_SERVICE_NAME"})


# -- helpers -----------------------------------------------------------------------


@cache
def settings_env_names() -> frozenset[str]:
    """The variable names Settings reads: HOTLINE_<FIELD>, or a field's aliases."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice.upper() for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names.add(f"{prefix}{name}".upper())
    return frozenset(names)


def unknown_app_vars(names: set[str] | frozenset[str]) -> set[str]:
    """Names an app container gets that nothing in the code reads."""
    known = settings_env_names() | SECRET_VARS | OTEL_VARS
    return {name for name in names if name not in known}


def yaml_files() -> list[Path]:
    files = sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])
    return [COMPOSE, *files]


def load_all(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@cache
def kustomize_dirs() -> tuple[Path, ...]:
    return tuple(sorted(p.parent for p in DEPLOY.rglob("kustomization.yaml")))


@cache
def kustomizations() -> dict[Path, dict[str, Any]]:
    return {d: load_all(d / "kustomization.yaml")[0] for d in kustomize_dirs()}


@cache
def source_objects() -> tuple[tuple[Path, dict[str, Any]], ...]:
    """Every Kubernetes object listed as a resource file by a kustomization."""
    found: list[tuple[Path, dict[str, Any]]] = []
    for directory, kustomization in kustomizations().items():
        for entry in kustomization.get("resources", []):
            path = directory / entry
            if path.is_file():
                found += [(path, doc) for doc in load_all(path)]
    return tuple(found)


def objects_of(kind: str, objects: Any) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj.get("kind") == kind]


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = obj["spec"]["template"]["spec"]
    return spec


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(obj)
    return [*spec.get("initContainers", []), *spec["containers"]]


def app_containers(objects: Any) -> Iterator[dict[str, Any]]:
    for obj in objects:
        if obj.get("kind") in {"Deployment", "Job"}:
            for container in containers(obj):
                if str(container["image"]).split(":")[0].endswith(IMAGE):
                    yield container


def probe_path(container: dict[str, Any], probe: str) -> str | None:
    path = container.get(probe, {}).get("httpGet", {}).get("path")
    return str(path) if path is not None else None


def assert_hardened_pod(obj: dict[str, Any]) -> None:
    name = obj["metadata"]["name"]
    spec = pod_spec(obj)
    pod_security = spec.get("securityContext", {})
    assert spec.get("terminationGracePeriodSeconds", 0) >= 30, name
    assert spec.get("automountServiceAccountToken") is False, name
    volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
    for container in containers(obj):
        where = f"{name}/{container['name']}"
        security = container.get("securityContext", {})
        assert security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True, where
        user = security.get("runAsUser", pod_security.get("runAsUser"))
        assert user is not None and user != 0, where
        assert security.get("readOnlyRootFilesystem") is True, where
        assert security.get("allowPrivilegeEscalation") is False, where
        assert security.get("capabilities", {}).get("drop") == ["ALL"], where
        seccomp = security.get("seccompProfile", pod_security.get("seccompProfile", {}))
        assert seccomp.get("type") == "RuntimeDefault", where
        resources = container.get("resources", {})
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{where}: {kind}"
        mounts = {mount["mountPath"]: mount["name"] for mount in container.get("volumeMounts", [])}
        assert "/tmp" in mounts, f"{where}: /tmp must be writable"
        assert "emptyDir" in volumes[mounts["/tmp"]], where


def assert_service_deployment(obj: dict[str, Any]) -> None:
    assert_hardened_pod(obj)
    (container,) = obj["spec"]["template"]["spec"]["containers"]
    name = obj["metadata"]["name"]
    assert probe_path(container, "livenessProbe") == "/healthz", name
    assert probe_path(container, "readinessProbe") == "/readyz", name
    assert container["args"][0] == "serve", name
    assert container["args"][1] in SERVICE_NAMES, name
    assert name == f"hotline-{container['args'][1]}"
    ports = {port["containerPort"] for port in container["ports"]}
    assert ports == {8000}, name


def assert_no_secret_values(objects: Any) -> None:
    for obj in objects_of("Secret", objects):
        assert not obj.get("data"), f"Secret {obj['metadata']['name']} carries data"
        assert not obj.get("stringData"), f"Secret {obj['metadata']['name']} carries stringData"
    for container in app_containers(objects):
        for env in container.get("env", []):
            if env["name"] in SECRET_VARS:
                assert "value" not in env, f"{env['name']} has a literal value"
                assert "secretKeyRef" in env["valueFrom"], env["name"]


# -- every file parses -------------------------------------------------------------


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_parses(path: Path) -> None:
    assert load_all(path), f"{path} is empty"


def test_kustomize_layout() -> None:
    dirs = {d.relative_to(DEPLOY).as_posix() for d in kustomize_dirs()}
    assert dirs == {"base", "overlays/dev", "overlays/prod"}
    for directory, kustomization in kustomizations().items():
        assert kustomization["kind"] == "Kustomization"
        for entry in kustomization.get("resources", []):
            assert (directory / entry).exists(), f"{directory}: missing resource {entry}"


# -- base manifests ----------------------------------------------------------------


def test_base_has_one_deployment_service_hpa_pdb_per_service() -> None:
    objects = [obj for _, obj in source_objects()]
    expected = {f"hotline-{service}" for service in SERVICE_NAMES}
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        names = {obj["metadata"]["name"] for obj in objects_of(kind, objects)}
        assert names == expected, kind


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_base_deployment_is_hardened_and_probed(service: str) -> None:
    (deployment,) = [
        obj
        for obj in objects_of("Deployment", [o for _, o in source_objects()])
        if obj["metadata"]["name"] == f"hotline-{service}"
    ]
    assert_service_deployment(deployment)
    assert deployment["spec"]["template"]["spec"]["containers"][0]["args"] == ["serve", service]


def test_topics_job() -> None:
    objects = [obj for _, obj in source_objects()]
    (job,) = objects_of("Job", objects)
    assert job["metadata"]["name"] == "hotline-topics"
    assert_hardened_pod(job)
    (container,) = pod_spec(job)["containers"]
    assert container["args"] == [
        "topics",
        "create",
        "--replication-factor",
        "3",
        "--min-insync-replicas",
        "2",
    ]


def test_no_secret_values_in_git() -> None:
    assert_no_secret_values([obj for _, obj in source_objects()])
    for directory, kustomization in kustomizations().items():
        for generator in kustomization.get("secretGenerator", []):
            assert not generator.get("literals"), f"{directory}: secretGenerator literals"
        for generator in kustomization.get("configMapGenerator", []):
            for literal in generator.get("literals", []):
                assert literal.split("=", 1)[0] not in SECRET_VARS, f"{directory}: {literal}"


def test_secrets_come_from_secret_key_refs() -> None:
    for container in app_containers(
        [obj for _, obj in source_objects() if obj["kind"] == "Deployment"]
    ):
        refs = {
            env["name"]
            for env in container.get("env", [])
            if "secretKeyRef" in env.get("valueFrom", {})
        }
        assert refs == SECRET_VARS


def configmap_names(kustomization: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for generator in kustomization.get("configMapGenerator", []):
        names |= {literal.split("=", 1)[0] for literal in generator.get("literals", [])}
    return names


def test_kubernetes_config_names_are_read_by_the_code() -> None:
    names: set[str] = set()
    for kustomization in kustomizations().values():
        names |= configmap_names(kustomization)
    for obj in objects_of("ConfigMap", [o for _, o in source_objects()]):
        names |= set(obj.get("data", {}))
    for container in app_containers([o for _, o in source_objects()]):
        names |= {env["name"] for env in container.get("env", [])}
    assert "HOTLINE_STORE" in names
    assert "KAFKA_BOOTSTRAP_SERVERS" in names
    assert not unknown_app_vars(names)


def test_base_config_runs_services_on_postgres_and_port_8000() -> None:
    literals = dict(
        literal.split("=", 1)
        for generator in kustomizations()[DEPLOY / "base"]["configMapGenerator"]
        for literal in generator["literals"]
    )
    assert literals["HOTLINE_STORE"] == "postgres"
    assert literals["HOTLINE_HTTP_HOST"] == "0.0.0.0"
    assert literals["HOTLINE_HTTP_PORT"] == "8000"
    assert literals["HOTLINE_DATA_DIR"] == "/var/lib/hotline"
    assert literals["HOTLINE_LOG_FORMAT"] == "json"


def test_network_policies() -> None:
    policies = {
        obj["metadata"]["name"]: obj
        for obj in objects_of("NetworkPolicy", [o for _, o in source_objects()])
    }
    deny = policies["hotline-default-deny"]["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    egress = policies["hotline-egress"]["spec"]["egress"]
    ports = {port["port"] for rule in egress for port in rule["ports"]}
    assert {9092, 5432, 4318, 53} <= ports
    assert all(rule.get("to") for rule in egress), "egress must name its destinations"
    public = policies["hotline-ingress-public"]["spec"]
    (selector,) = public["podSelector"]["matchExpressions"]
    assert set(selector["values"]) == {"hotline-intake", "hotline-publication"}


def test_ingress_exposes_only_intake_and_publication() -> None:
    (ingress,) = objects_of("Ingress", [o for _, o in source_objects()])
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"hotline-intake", "hotline-publication"}


def test_part_of_label() -> None:
    base = kustomizations()[DEPLOY / "base"]
    assert any(entry.get("pairs") == PART_OF for entry in base.get("labels", [])) or (
        base.get("commonLabels") == PART_OF
    )


# -- rendered overlays (needs kustomize or kubectl) ----------------------------------


def kustomize_command() -> list[str] | None:
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return None


@cache
def rendered(overlay: str) -> tuple[dict[str, Any], ...]:
    command = kustomize_command()
    if command is None:
        pytest.skip("neither kustomize nor kubectl on PATH")
    result = subprocess.run(
        [*command, str(DEPLOY / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_hardened_deployments(overlay: str) -> None:
    objects = rendered(overlay)
    deployments = objects_of("Deployment", objects)
    assert {d["metadata"]["name"] for d in deployments} == {
        f"hotline-{service}" for service in SERVICE_NAMES
    }
    for deployment in deployments:
        assert_service_deployment(deployment)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert labels.items() >= PART_OF.items()
    for job in objects_of("Job", objects):
        assert_hardened_pod(job)
    assert_no_secret_values(objects)
    namespaces = {obj["metadata"].get("namespace") for obj in objects if obj["kind"] != "Namespace"}
    (namespace,) = objects_of("Namespace", objects)
    assert namespaces == {namespace["metadata"]["name"]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_references_resolve(overlay: str) -> None:
    objects = rendered(overlay)
    configmaps = {obj["metadata"]["name"] for obj in objects_of("ConfigMap", objects)}
    for container in app_containers(objects):
        assert not unknown_app_vars({env["name"] for env in container.get("env", [])})
        for source in container.get("envFrom", []):
            assert source["configMapRef"]["name"] in configmaps
        assert ":" in container["image"], "overlays pin an image tag"
    (configmap,) = objects_of("ConfigMap", objects)
    assert not unknown_app_vars(set(configmap["data"]))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_replicas_stay_below_partitions(overlay: str) -> None:
    objects = rendered(overlay)
    (configmap,) = objects_of("ConfigMap", objects)
    partitions = int(configmap["data"]["HOTLINE_TOPIC_PARTITIONS"])
    for hpa in objects_of("HorizontalPodAutoscaler", objects):
        # One partition stays free for the surge pod of a rolling update.
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"] < partitions
    for deployment in objects_of("Deployment", objects):
        assert deployment["spec"].get("replicas", 1) <= partitions


def test_dev_overlay_runs_one_replica_without_autoscaling() -> None:
    objects = rendered("dev")
    assert not objects_of("HorizontalPodAutoscaler", objects)
    assert {d["spec"]["replicas"] for d in objects_of("Deployment", objects)} == {1}
    (job,) = objects_of("Job", objects)
    args = pod_spec(job)["containers"][0]["args"]
    assert args[args.index("--replication-factor") + 1] == "1"


def test_prod_overlay_keeps_pods_through_disruptions() -> None:
    objects = rendered("prod")
    hpas = objects_of("HorizontalPodAutoscaler", objects)
    assert len(hpas) == len(SERVICE_NAMES)
    for pdb in objects_of("PodDisruptionBudget", objects):
        assert "maxUnavailable" not in pdb["spec"]
        min_available = pdb["spec"]["minAvailable"]
        (hpa,) = [h for h in hpas if h["spec"]["scaleTargetRef"]["name"] == pdb["metadata"]["name"]]
        assert 1 <= min_available < hpa["spec"]["minReplicas"]
    for deployment in objects_of("Deployment", objects):
        # The HPA owns the replica count; a fixed one would be reset on every apply.
        assert "replicas" not in deployment["spec"]
    (job,) = objects_of("Job", objects)
    args = pod_spec(job)["containers"][0]["args"]
    assert args[args.index("--replication-factor") + 1] == "3"
    assert args[args.index("--min-insync-replicas") + 1] == "2"


# -- docker-compose.yml --------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    data: dict[str, Any] = load_all(COMPOSE)[0]
    return data


def compose_app_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if str(service.get("image", "")).startswith(f"{IMAGE}:")
    }


def default_port(service: str) -> int:
    """The port `hotline up` gives the service when HOTLINE_HTTP_PORT is unset."""
    return Settings.model_construct().http_port_for(service)  # defaults, no environment


def test_compose_runs_the_five_services_on_ports_8001_to_8005() -> None:
    services = compose()["services"]
    for name in SERVICE_NAMES:
        service = services[name]
        assert service["build"] == "."
        assert service["command"] == ["serve", name]
        assert service["ports"] == [f"{default_port(name)}:8000"]
    assert [default_port(name) for name in SERVICE_NAMES] == [8001, 8002, 8003, 8004, 8005]


def test_compose_env_names_are_settings_fields() -> None:
    names: set[str] = set(compose()["x-hotline-env"])
    for service in compose_app_services().values():
        names |= set(service["environment"])
    assert {"HOTLINE_STORE", "KAFKA_BOOTSTRAP_SERVERS"} <= names
    hotline_names = {name for name in names if name.startswith("HOTLINE_")}
    assert hotline_names - SECRET_VARS <= settings_env_names()
    assert not unknown_app_vars(names)


def test_compose_app_environment() -> None:
    env = compose()["x-hotline-env"]
    assert env["HOTLINE_STORE"] == "postgres"
    assert env["HOTLINE_POSTGRES_HOST"] == "postgres"
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert str(env["HOTLINE_KAFKA_IDEMPOTENCE"]).lower() == "true"
    assert env["HOTLINE_HTTP_HOST"] == "0.0.0.0"
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
    for name in SECRET_VARS:
        # Interpolated from the shell or .env, with an error when unset: never a value.
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", env[name]), name


def test_compose_services_are_hardened_and_ordered() -> None:
    apps = compose_app_services()
    assert set(apps) == {*SERVICE_NAMES, "topics"}
    for name, service in apps.items():
        assert service["read_only"] is True, name
        assert any(str(entry).split(":")[0] == "/tmp" for entry in service["tmpfs"]), name
        assert service["cap_drop"] == ["ALL"], name
        depends = service["depends_on"]
        assert depends["kafka"]["condition"] == "service_healthy", name
        if name == "topics":
            assert service["command"][:2] == ["topics", "create"]
            assert service["restart"] == "no"
            continue
        assert service["stop_grace_period"] == "30s", name
        assert "/healthz" in " ".join(service["healthcheck"]["test"]), name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["topics"]["condition"] == "service_completed_successfully", name


def test_compose_infrastructure() -> None:
    services = compose()["services"]
    kafka = services["kafka"]
    assert kafka["image"] == "apache/kafka:3.9.1"
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "PLAINTEXT://kafka:9092" in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert "kafka-broker-api-versions.sh" in " ".join(kafka["healthcheck"]["test"])
    assert services["postgres"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["topics"]["command"] == [
        "topics",
        "create",
        "--replication-factor",
        "1",
        "--min-insync-replicas",
        "1",
    ]


def test_compose_observability_profile() -> None:
    services = compose()["services"]
    for name in ("otel-collector", "jaeger", "prometheus"):
        assert services[name]["profiles"] == ["observability"], name
    for name in ("otel-collector", "prometheus"):
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            assert (ROOT / source).is_file(), f"{name}: {source} missing"
    for name in (*SERVICE_NAMES, "kafka", "postgres", "topics"):
        assert "profiles" not in services[name], name


def test_prometheus_scrapes_the_five_services() -> None:
    (config,) = load_all(DEPLOY / "observability" / "prometheus.yml")
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "hotline"]
    assert job["metrics_path"] == "/metrics"
    targets = {target for group in job["static_configs"] for target in group["targets"]}
    assert targets == {f"{service}:8000" for service in SERVICE_NAMES}


def test_otel_collector_receives_otlp_http_and_exports_traces() -> None:
    (config,) = load_all(DEPLOY / "observability" / "otel-collector.yaml")
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    traces = config["service"]["pipelines"]["traces"]
    assert traces["receivers"] == ["otlp"]
    for exporter in traces["exporters"]:
        assert exporter in config["exporters"]


# -- Dockerfile ----------------------------------------------------------------------


def test_dockerfile() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "python:3.11-slim" in text
    assert len(re.findall(r"^FROM ", text, re.MULTILINE)) >= 2, "multi-stage"
    assert re.search(r"^USER 10001", text, re.MULTILINE)
    assert 'ENTRYPOINT ["hotline"]' in text
    assert 'CMD ["serve", "intake"]' in text
    assert re.search(r"^EXPOSE 8000$", text, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*", text, re.MULTILINE)
    assert "/healthz" in text
    env_names = set(re.findall(r"\b(HOTLINE_[A-Z_]+)=", text))
    assert "HOTLINE_DATA_DIR" in env_names
    assert env_names <= settings_env_names()


def test_dockerignore_keeps_local_state_out() -> None:
    entries = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", ".env", "tests"} <= entries
