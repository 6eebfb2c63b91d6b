"""The rules' primary leaf: cue words that describe the setting, not the contribution.

Each abstract is invented. Each case failed before its cue change in taxonomy.yaml (issue 14,
brief 14i): a word of a leaf's lexicon used in a generic sense ("clusters" of neurons,
"collectively", "parallel", "at inference time", "training data", an "Efficient Vision
Transformer" goal, the Triton *Inference Server*) outweighed the cues of what the paper does.
"""

from __future__ import annotations

import pytest

from pipeline.local_model import LocalModel
from pipeline.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def model() -> LocalModel:
    return LocalModel(load_taxonomy(), rules_only=True)


CASES = [
    pytest.param(
        "Predicting Activation Sparsity in Language Models with Neuron Groups",
        (
            "Large language models activate only a small fraction of their feed-forward neurons for"
            " each token, which could cut inference cost. We propose a predictor that groups "
            "neurons with similar activation patterns into a small number of representative "
            "clusters: a conditional computation scheme that, for each token, skips the neurons of "
            "inactive groups. The cluster assignments are learned once and collectively cover the "
            "activation patterns of the model. Our method reduces feed-forward FLOPs by 40% with a "
            "perplexity increase below 0.3."
        ),
        ["model.dynamic", "model.pruning"],
        id="system.distributed generic: clusters in the clustering sense, 'collectively'",
    ),
    pytest.param(
        "Benchmarking FastAPI and Triton Inference Server for Transformer Models",
        (
            "Machine-learning models must answer with low latency in production. This paper "
            "compares a Python REST service built with FastAPI and NVIDIA Triton Inference Server "
            "for a BERT model on Kubernetes. We measure p50 and p95 latency under concurrent "
            "requests. Triton sustains 3x the throughput of the REST service, which has the lower "
            "latency for single requests."
        ),
        ["system.serving"],
        id="Triton Inference Server is a serving system, not the Triton compiler",
    ),
    pytest.param(
        "Efficient Vision Transformers via Learned Token Grouping",
        (
            "Vision transformers process hundreds of image tokens, many of them redundant. We "
            "propose a token merging module that groups similar tokens between blocks, so that "
            "later blocks process fewer tokens. On ImageNet, it reduces the FLOPs of DeiT-S by 35% "
            "with a 0.2% drop in top-1 accuracy and speeds up inference by 1.4x."
        ),
        ["model.dynamic"],
        id="'Efficient Vision Transformers' names the goal, token merging the method",
    ),
    pytest.param(
        "Compressing Long Speech Inputs for Speech-Language Models",
        (
            "Speech-language models struggle with long audio: long-speech training data is scarce "
            "and long sequences are costly. We propose a method that dynamically merges the frames "
            "of long speech sequences into a short sequence of representative frames, and needs no "
            "new training data. The training datasets of existing models are reused unchanged. It "
            "cuts the computation on long inputs by 60% while keeping accuracy."
        ),
        ["model.dynamic"],
        id="'training data' names data, not the cost of training",
    ),
    pytest.param(
        "Compute-Optimal Allocation for Reasoning Models at Test Time",
        (
            "Language models can spend more computation on hard questions. We propose a test-time "
            "compute-optimal allocation that decides how many candidate answers to generate for "
            "each question under a fixed budget. Compared with a uniform allocation, the test-time "
            "compute-optimal strategy reaches the same accuracy with 4x less computation."
        ),
        ["model.decoding"],
        id="test-time compute-optimal allocation is about inference, not training",
    ),
    pytest.param(
        "Parallel Redundancy Removal for Fast Vision Transformers",
        (
            "Vision transformers spend most of their computation on redundant image tokens. We "
            "propose a token merging scheme that compares all token pairs in parallel and combines "
            "similar tokens between blocks, so that later blocks process fewer tokens. The step "
            "runs in parallel for all images of a batch and adds little latency. On ImageNet it "
            "reduces the FLOPs of ViT-B by 40% with a 0.3% drop in top-1 accuracy."
        ),
        ["model.dynamic"],
        id="'parallel' alone is not distributed execution",
    ),
    pytest.param(
        "MLBench Inference Benchmark",
        (
            "Machine-learning inference systems are hard to compare. We present a benchmark suite "
            "that measures the latency and throughput of inference systems across hardware "
            "platforms under a common set of rules, and report results for 20 systems."
        ),
        ["hardware.characterization"],
        id="an inference benchmark is a characterization, not a serving system",
    ),
    pytest.param(
        "Product-Key Lookup Layers for Language Models",
        (
            "We introduce a lookup layer that adds billions of parameters to a language model "
            "architecture at a negligible computational cost. At inference time, a product-key "
            "lookup selects a few slots of a large table for each token. The layer replaces a feed-"
            "forward block, and a 12-layer model with it outperforms a 24-layer baseline while "
            "being twice as fast at inference time."
        ),
        ["model.architecture"],
        id="'at inference time' says when, not a decoding method",
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), CASES)
def test_the_primary_leaf_is_the_contribution_not_the_setting(
    model: LocalModel, title: str, abstract: str, expected: list[str]
) -> None:
    primary = model.analyse(title, abstract).choice.leaves[0]
    assert primary in expected


# Pruning tokens, patches or frames is input-adaptive computation (model.dynamic, the taxonomy
# contract), even when the paper's modules are named "... Pruning"; pruning weights, channels or
# layers stays model.pruning, whatever else the paper says about tokens.
INPUT_PRUNING = [
    pytest.param(
        "VT-Prune: Training-Free Spatio-Temporal Token Pruning for Video Language Models",
        (
            "Video language models spend most of their computation on redundant visual tokens. "
            "We propose VT-Prune, a training-free framework with two modules: Temporal Pruning "
            "and Spatial Pruning. Temporal Pruning removes tokens of static regions across "
            "frames, and Spatial Pruning prunes overlapping patches of neighbouring views. "
            "VT-Prune keeps 10% of the tokens and reduces prefill latency by 3x with no loss."
        ),
        "model.dynamic",
        id="token pruning with pruning-named modules",
    ),
    pytest.param(
        "Channel Pruning for Vision-Language Models",
        (
            "Vision-language models are expensive to deploy. We prune channels and attention "
            "heads of the vision encoder with a structured pruning criterion, and fine-tune the "
            "pruned model briefly. The pruned encoder produces the same visual tokens for the "
            "language model at 40% fewer FLOPs and 1% lower accuracy."
        ),
        "model.pruning",
        id="weight pruning that mentions tokens",
    ),
    pytest.param(
        "An Hourglass Tokenizer for Efficient Transformer-Based Pose Estimation",
        (
            "Transformer-based pose estimators are accurate but their computation grows with the "
            "number of frames. We propose a lightweight transformer architecture with an "
            "hourglass design: a token pruning cluster module at an early layer keeps a few "
            "representative tokens, and a token recovering module at the end restores the full "
            "sequence. The efficient architecture cuts FLOPs by 50% and runs 1.8x faster with "
            "the same accuracy."
        ),
        "model.dynamic",
        id="token pruning inside an efficient architecture",
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), INPUT_PRUNING)
def test_pruning_tokens_is_dynamic_computation_pruning_weights_is_pruning(
    model: LocalModel, title: str, abstract: str, expected: str
) -> None:
    assert model.analyse(title, abstract).choice.leaves[0] == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        (
            "Training on large datasets is expensive. Dataset distillation condenses a dataset "
            "into a few synthetic images that train a model almost as well as the full data. We "
            "propose a training-free dataset distillation method that matches feature "
            "distributions, and our distilled datasets cut training time by 20x.",
            "model.training",
        ),
        (
            "Large teachers are costly to serve. We distill a large teacher into a compact "
            "student with knowledge distillation on a distilled dataset of teacher outputs, and "
            "the student runs 5x faster.",
            "model.distillation",
        ),
    ],
    ids=["dataset distillation", "knowledge distillation on distilled data"],
)
def test_distilling_a_dataset_is_efficient_training_distilling_a_model_is_distillation(
    model: LocalModel, abstract: str, expected: str
) -> None:
    assert model.analyse("Efficient Distillation", abstract).choice.leaves[0] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("SmallQuant: Benchmarking Small Language Models on Phones", "model.quantization"),
        ("BitSLM: Small Language Models with BitLLM Weights for Phones", "model.quantization"),
        ("Small Language Models for Phones", "model.architecture"),
        ("Quantum-Inspired Small Language Models for Phones", "model.architecture"),
    ],
)
def test_a_title_that_names_quantization_takes_it_over_the_architecture_it_quantizes(
    model: LocalModel, title: str, expected: str
) -> None:
    abstract = (
        "Small language models are designed for phones, and efficient small model families now "
        "reach the quality of larger models with few parameters. We benchmark eight small "
        "language model families on three phones, with weights quantized to 4 and 8 bits, and "
        "report latency, memory and accuracy."
    )
    assert model.analyse(title, abstract).choice.leaves[0] == expected


EXPERTS_DROPPED = (
    "Sparse mixture-of-experts language models activate few experts per token, but every expert "
    "must be kept in memory. We study which experts a mixture-of-experts model can do without: "
    "a global importance score over all layers selects the experts to prune, and the remaining "
    "experts are merged. On Mixtral and Qwen MoE models, pruning half of the experts keeps 95% "
    "of the accuracy and halves memory."
)
SMALL_STUDENT = (
    "Small language models for phones must be compact and fast. We design a family of efficient "
    "small language model architectures with shared attention blocks and a lightweight "
    "feed-forward design, and train them with a large teacher model's soft labels as a student. "
    "The 300M model matches a 1B model and runs 3x faster on phones."
)


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        ("Expert Pruning for Sparse Mixture-of-Experts Models", EXPERTS_DROPPED, "model.pruning"),
        ("Sparse MoEs Do Not Need All Their Experts", EXPERTS_DROPPED, "model.architecture"),
        # a title that does without the technique, or applies it to data, says nothing of it
        ("Pruning-Free Sparse Mixture-of-Experts Models", EXPERTS_DROPPED, "model.architecture"),
        ("Pruning the Training Set for Sparse MoEs", EXPERTS_DROPPED, "model.architecture"),
        ("Small Language Models for Phones Without Distillation", SMALL_STUDENT,
         "model.architecture"),
        ("Distilling Small Language Models for Phones", SMALL_STUDENT, "model.distillation"),
        ("Small Language Models for Phones", SMALL_STUDENT, "model.architecture"),
    ],
    ids=[
        "pruning title", "no pruning title", "pruning-free", "data pruning", "without distillation",
        "distillation title", "no distillation title",
    ],
)
def test_a_title_that_names_pruning_or_distillation_takes_it_over_the_architecture(
    model: LocalModel, title: str, abstract: str, expected: str
) -> None:
    """The architecture's cues fire on what is pruned or distilled (experts, a small model); a
    title that names the technique says what the contribution is, when the abstract's cues for
    it weigh enough."""
    assert model.analyse(title, abstract).choice.leaves[0] == expected


GUARDRAIL = (
    "Guardrail models classify unsafe prompts with a lightweight transformer classifier. We let a "
    "compact guardrail model {how}. The guardrail matches a reasoning guardrail's accuracy at 10x "
    "lower latency."
)


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (
            "think in continuous thoughts instead of text: its hidden states are fed back as "
            "latent thoughts, so it needs no written chain of thought",
            "model.decoding",
        ),
        ("refine its hidden states with two extra shared layers", "model.architecture"),
    ],
    ids=["latent thoughts", "extra layers"],
)
def test_latent_reasoning_is_efficient_reasoning(
    model: LocalModel, how: str, expected: str
) -> None:
    """Reasoning in continuous latent thoughts instead of written tokens is efficient reasoning
    (model.decoding in the contract), not the architecture of the model that reasons."""
    abstract = GUARDRAIL.format(how=how)
    assert model.analyse("Fast Guardrail Models", abstract).choice.leaves[0] == expected


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        pytest.param(
            "LayerStash: Layer-wise Feature Caching for Fast Flow Matching",
            "Flow matching and diffusion transformers generate images with dozens of sampling "
            "steps, each running every layer. We observe that the outputs of most layers change "
            "little between adjacent steps, and propose LayerStash, which caches layer outputs and "
            "reuses them across steps, recomputing a layer only when its predicted change is "
            "large. LayerStash speeds up FLUX by 2.1x with no loss in FID.",
            "model.dynamic",
            id="a generator caching its features across steps",
        ),
        pytest.param(
            "BlockKV: Compressing the KV Cache of Autoregressive Video Diffusion",
            "Autoregressive video diffusion models keep the key-value (KV) cache of all past "
            "frames, whose memory grows with video length. We propose BlockKV, which caches the "
            "keys and values of past chunks in a compressed form and evicts redundant ones. "
            "BlockKV cuts KV cache memory by 4x and speeds up generation by 1.6x.",
            "model.kv_cache",
            id="a generator's KV cache stays a KV cache",
        ),
        pytest.param(
            "Distributed Caching for Parallel Diffusion Inference on Many GPUs",
            "Diffusion models are slow. We distribute denoising across GPUs with patch parallelism "
            "and cache activations of stale patches across steps to hide communication, reaching "
            "3.2x speedup on 8 GPUs.",
            "system.distributed",
            id="a distributed generator that caches to hide communication",
        ),
        # caching that is not reuse across the steps of generation
        pytest.param(
            "Memory-Efficient Training of Diffusion Transformers",
            "Training diffusion transformers needs large activation memory. We decide for each "
            "layer whether to cache or recompute activations during backpropagation, cutting peak "
            "training memory by 40% with 5% overhead.",
            "model.training",
            id="activations cached or recomputed in training",
        ),
        pytest.param(
            "GPU Feature Caching for Fast GNN Training",
            "Graph neural network training spends most time loading node features. We propose a "
            "GPU feature caching scheme that caches hot node features, selected by a "
            "diffusion-based importance score, and speeds up training by 2.3x.",
            "model.training",
            id="a graph diffusion score is no generator",
        ),
        pytest.param(
            "Block-Sharing Architecture Search for Diffusion U-Nets",
            "We search efficient diffusion U-Net architectures with a supernet, reusing cached "
            "outputs of shared blocks to evaluate candidates quickly. The searched model is 2x "
            "faster at the same FID.",
            "model.nas",
            id="outputs cached within a search",
        ),
    ],
)
def test_a_generator_caching_its_own_features_across_steps_is_dynamic_computation(
    model: LocalModel, title: str, abstract: str, expected: str
) -> None:
    assert model.analyse(title, abstract).choice.leaves[0] == expected
