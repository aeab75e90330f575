"""masklint's rules: one small class per code, documented by ``rules/<CODE>.md``."""
from masklint.rules.base import REGISTRY, Rule, all_rules, get_rule

__all__ = ["REGISTRY", "Rule", "all_rules", "get_rule"]
