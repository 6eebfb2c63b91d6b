"""Cost before spending: --dry-run estimates and the --max-cost budget."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import BudgetExceeded, ProviderFatal

# Output tokens per item, for estimates made before a call (there is no answer to count yet).
OUTPUT_TOKENS_PER_ITEM = {"screen": 60, "classify": 180, "extract": 220, "synthesize": 1500}
# A provider batch request costs this share of the normal price when litellm has no batch price.
BATCH_DISCOUNT = 0.5


def split_model(model: str) -> tuple[str, str]:
    """(litellm provider, the provider's model name) of a ``provider/name`` model."""
    provider, _, name = model.partition("/")
    if not name:
        return "openai", model
    return provider, name


def batch_price(model: str, input_tokens: float, output_tokens: float) -> tuple[float | None, str]:
    """USD cost of a batch request of this size, and how it was priced (for the run log)."""
    from pipeline.seam.providers import litellm_module, token_cost

    entry = litellm_module().model_cost.get(model) or litellm_module().model_cost.get(
        split_model(model)[1]
    )
    if entry and entry.get("input_cost_per_token_batches") is not None:
        input_price = float(entry["input_cost_per_token_batches"])
        output_price = float(entry.get("output_cost_per_token_batches") or 0.0)
        return input_tokens * input_price + output_tokens * output_price, (
            "batch: litellm batch price"
        )
    normal = token_cost(model, int(input_tokens), int(output_tokens))
    if normal is None:
        return None, "batch: model not priced"
    return normal * BATCH_DISCOUNT, f"batch: litellm cost x {BATCH_DISCOUNT}"


def request_tokens(stage: str, messages: list[dict[str, str]], n_items: int) -> tuple[int, int]:
    """Estimated input and output tokens of one request (4 characters a token, plus the
    response schema instructor adds)."""
    chars = sum(len(m["content"]) for m in messages)
    return chars // 4 + 400, OUTPUT_TOKENS_PER_ITEM.get(stage, 200) * n_items


def request_cost(model: str, input_tokens: int, output_tokens: int) -> float | None:
    from pipeline.seam.providers import token_cost

    return token_cost(model, input_tokens, output_tokens)


@dataclass
class Estimate:
    """What --dry-run predicts for one stage."""

    calls: int = 0
    papers: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True
    pricing: str = "standard"

    def add_request(
        self,
        stage: str,
        model: str,
        messages: list[dict[str, str]],
        n: int,
        batch: bool = False,
    ) -> None:
        """Count one request of ``n`` items (``batch``: priced as a provider batch request)."""
        tokens_in, tokens_out = request_tokens(stage, messages, n)
        self.calls += 1
        self.papers += n
        self.input_tokens += tokens_in
        self.output_tokens += tokens_out
        if batch:
            cost, self.pricing = batch_price(model, tokens_in, tokens_out)
        else:
            cost = request_cost(model, tokens_in, tokens_out)
        if cost is None:
            self.cost_known = False
        else:
            self.cost_usd += cost


class Budget:
    """Money spent so far, and reservations for the calls in flight (--max-cost)."""

    def __init__(self, max_cost: float | None):
        self.max_cost = max_cost
        self.spent = 0.0
        self.reserved = 0.0
        self.exhausted = False

    def reserve(self, stage: str, model: str, messages: list[dict[str, str]], n: int) -> float:
        """Reserve the estimated cost of the next call, or refuse it (BudgetExceeded)."""
        if self.max_cost is None:
            return 0.0
        tokens_in, tokens_out = request_tokens(stage, messages, n)
        cost = request_cost(model, tokens_in, tokens_out)
        if cost is None:
            raise ProviderFatal(
                f"--max-cost cannot be enforced: litellm has no price for model {model!r}. "
                "Drop --max-cost for self-hosted models, or use a priced model name."
            )
        if self.spent + self.reserved + cost > self.max_cost:
            self.exhausted = True
            raise BudgetExceeded(
                f"--max-cost {self.max_cost:.4f} USD would be exceeded by the next "
                f"'{stage}' call (spent {self.spent:.4f}, next call ~{cost:.4f}). Finished "
                "answers are cached: raise --max-cost or use a cheaper --model to continue."
            )
        self.reserved += cost
        return cost

    def release(self, reserved: float) -> None:
        self.reserved -= reserved

    def charge(self, cost: float) -> None:
        self.spent += cost
