from .configuration_roformer import RoFormerConfig
from .modeling_roformer import RoFormerForCausalLM, RoFormerModel

__all__ = ["RoFormerConfig", "RoFormerModel", "RoFormerForCausalLM"]
