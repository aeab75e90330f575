"""Formula continuation for fragrance accord drafting."""
from .config import FormulaConfig
from .model import FormulaLM
