"""Every Kubernetes object we ship validates against the schema of a current release.

`kubernetes-validate` carries the OpenAPI schemas of each Kubernetes release, so this
runs offline. Strict mode also refuses fields the schema does not know (a typo such as
`readinessprobe` would otherwise be silently ignored by the API server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
KUBERNETES_VERSION = "1.33"


def base_objects() -> list[tuple[str, dict[str, Any]]]:
    objects = []
    for path in sorted((DEPLOY / "base").glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                objects.append(
                    (f"{path.name}:{document['kind']}/{document['metadata']['name']}", document)
                )
    return objects


@pytest.mark.parametrize(("name", "obj"), base_objects(), ids=[n for n, _ in base_objects()])
def test_base_object_is_valid_kubernetes(name: str, obj: dict[str, Any]) -> None:
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_a_misspelt_field_is_caught() -> None:
    """The check itself can fail: a Deployment with a typo is refused."""
    _, deployment = next((n, o) for n, o in base_objects() if o["kind"] == "Deployment")
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_rendered_overlay_is_valid_kubernetes(overlay: str) -> None:
    from test_manifests import rendered

    objects = rendered(overlay)
    assert objects
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
