"""The taxonomy file: the default one matches the evaluation contract; bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.errors import InputError
from pipeline.taxonomy import load_taxonomy

CONTRACT_LEAVES = {
    "model.quantization", "model.pruning", "model.distillation", "model.low_rank",
    "model.architecture", "model.nas", "model.dynamic", "model.kv_cache", "model.decoding",
    "model.training", "system.serving", "system.memory", "system.distributed", "system.compiler",
    "system.edge", "system.energy", "hardware.accelerator", "hardware.fpga", "hardware.memory",
    "hardware.characterization",
}  # fmt: skip


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def minimal() -> dict[str, object]:
    return {
        "levels": [
            {
                "id": "model",
                "name": "Model",
                "description": "Model-level work.",
                "leaves": [{"id": "model.quant", "name": "Q", "description": "Fewer bits."}],
            }
        ]
    }


def test_default_taxonomy_has_exactly_the_contract_leaves() -> None:
    taxonomy = load_taxonomy()
    assert set(taxonomy.leaf_ids) == CONTRACT_LEAVES and len(taxonomy.leaf_ids) == 20
    assert [level.id for level in taxonomy.levels] == ["model", "system", "hardware"]
    assert all(leaf.description.strip() and leaf.cues for leaf in taxonomy.leaves)


def test_a_minimal_user_taxonomy_loads(tmp_path: Path) -> None:
    assert load_taxonomy(write(tmp_path, minimal())).leaf_ids == ["model.quant"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["levels"][0]["leaves"].append(dict(d["levels"][0]["leaves"][0])),
            "appears twice",
        ),
        (lambda d: d["levels"][0]["leaves"][0].update(id="system.quant"), "must be 'model.<name>'"),
        (lambda d: d["levels"][0]["leaves"][0].update(description="  "), "must not be empty"),
        (lambda d: d["levels"][0].update(leaves=[]), "levels.0.leaves"),
        (lambda d: d["levels"][0]["leaves"][0].update(colour="red"), "colour"),
    ],
    ids=["duplicate-id", "leaf-outside-level", "empty-description", "no-leaves", "unknown-field"],
)
def test_invalid_taxonomies_name_the_problem(tmp_path: Path, mutate, message) -> None:  # type: ignore[no-untyped-def]
    data = minimal()
    mutate(data)
    with pytest.raises(InputError, match=message) as info:
        load_taxonomy(write(tmp_path, data))
    assert "tax.yaml" in str(info.value) and "invalid taxonomy" in str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tax.yaml"
    path.write_text("levels:\n  - id: model\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tax\.yaml:\d+: invalid YAML"):
        load_taxonomy(path)


def test_missing_file_and_cli_tree(tmp_path: Path) -> None:
    from pipeline.cli import _register, app

    with pytest.raises(InputError, match="taxonomy file not found"):
        load_taxonomy(tmp_path / "nope.yaml")
    _register()
    result = CliRunner().invoke(app, ["taxonomy", "-t", str(write(tmp_path, minimal()))])
    assert result.exit_code == 0 and "model.quant" in result.output
