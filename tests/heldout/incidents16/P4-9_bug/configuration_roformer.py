"""Configuration of the RoFormer models (rotary position embeddings, BERT-like body)."""
from dataclasses import asdict, dataclass, fields
from typing import Any, Dict


@dataclass
class RoFormerConfig:
    r"""
    Args:
        vocab_size: size of the token vocabulary.
        hidden_size: width of the encoder layers.
        num_hidden_layers: number of transformer layers.
        num_attention_heads: attention heads per layer; must divide ``hidden_size``.
        intermediate_size: width of the feed-forward block.
        max_position_embeddings: longest sequence the rotary table is sized for.
        pad_token_id: id of the padding token.
        is_decoder: run the stack as a left-to-right decoder (set by ``RoFormerForCausalLM``).
        attn_implementation: only ``"sdpa"`` is provided here.
    """

    vocab_size: int = 100
    hidden_size: int = 32
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    intermediate_size: int = 64
    max_position_embeddings: int = 64
    pad_token_id: int = 0
    is_decoder: bool = False
    attn_implementation: str = "sdpa"

    @classmethod
    def from_dict(cls, config_dict: Dict[str, Any]) -> "RoFormerConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in config_dict.items() if k in known})

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)
