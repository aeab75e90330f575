"""Reaction-yield regression from reaction SMILES (reactants>>products)."""
from .model import YieldRegressor
from .tokenizer import SmilesTokenizer

__all__ = ["SmilesTokenizer", "YieldRegressor"]
